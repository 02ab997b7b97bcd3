package dev.rotation.local;

import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.AuditTrail;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options of the commands that read the local Secrets Manager's audit trail ({@code audit},
 * {@code history}): which log ({@code --data-dir} or {@code --audit-log}) and from when ({@code --since}).
 */
final class AuditLogOptions {
    private static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhd])");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory serve ran with; its log is "
            + "DIR/" + LocalSecretsManager.AUDIT_LOG + ".")
    private Path dataDir;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "The audit log serve --audit-log wrote.")
    private Path auditLog;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only what started from WHEN on: an instant "
            + "(2026-03-01T12:00:00Z), a date (2026-03-01, UTC) or a time ago (90s, 30m, 2h, 7d).")
    private String since;

    /** The events of the log, and the {@code --since} instant (null: from the start). */
    record Log(Path file, List<AuditEvent> events, Instant from) {
    }

    /** A usage error: one line, without the command's name. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    Log read() throws UsageException {
        if ((dataDir == null) == (auditLog == null)) {
            throw new UsageException("name the log with --data-dir DIR or --audit-log FILE (one of them)");
        }
        Instant from = null;
        if (since != null) {
            from = since(since);
            if (from == null) {
                throw new UsageException("--since must be an instant (2026-03-01T12:00:00Z), a date (2026-03-01) or"
                        + " a time ago (30m, 2h, 7d), got '" + since + "'");
            }
        }
        Path file = auditLog != null ? auditLog : dataDir.resolve(LocalSecretsManager.AUDIT_LOG);
        try {
            return new Log(file, AuditTrail.read(file), from);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + FileErrors.reason(e));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** True when the event is about the secret {@code secretId} names (a name, or a full or partial ARN). */
    static boolean concerns(AuditEvent e, String secretId) {
        String id = e.secretId().orElse(null);
        if (id == null) {
            return false;
        }
        if (id.equals(secretId) || (id.startsWith(secretId + "-") && id.length() == secretId.length() + 7)) {
            return true;
        }
        int at = id.indexOf(":secret:");
        String name = at < 0 ? id : id.substring(at + 8);
        if (at >= 0 && name.length() > 7 && name.charAt(name.length() - 7) == '-') {
            name = name.substring(0, name.length() - 7);
        }
        return name.equals(secretId);
    }

    static Instant since(String text) {
        Matcher ago = AGO.matcher(text);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
