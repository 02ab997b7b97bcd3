package dev.rotation.local;

import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.AuditTrail;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: prints the local Secrets Manager's audit trail (the CloudTrail-format log that
 * {@code serve --data-dir} or {@code --audit-log} writes), one line per event: time, event, who, secret
 * and outcome, oldest first. {@code --secret-id} keeps one secret's events (by name, full or partial
 * ARN), {@code --since} those from a time on.
 */
@Command(name = "audit", sortOptions = false,
        description = {"Prints the local Secrets Manager's audit trail, one event a line: time, event, caller, "
                + "secret and outcome (the log is CloudTrail's JSON format, one event a line)."})
final class AuditCommand implements Callable<Integer> {
    private static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhd])");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory serve ran with; its log is "
            + "DIR/" + LocalSecretsManager.AUDIT_LOG + ".")
    private Path dataDir;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "The audit log serve --audit-log wrote.")
    private Path auditLog;

    @Option(names = "--secret-id", paramLabel = "ID", description = "Only this secret's events (name or ARN).")
    private String secretId;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only events from WHEN on: an instant "
            + "(2026-03-01T12:00:00Z), a date (2026-03-01, UTC) or a time ago (90s, 30m, 2h, 7d).")
    private String since;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((dataDir == null) == (auditLog == null)) {
            return usage(err, "name the log with --data-dir DIR or --audit-log FILE (one of them)");
        }
        Path file = auditLog != null ? auditLog : dataDir.resolve(LocalSecretsManager.AUDIT_LOG);
        Instant from = null;
        if (since != null) {
            from = since(since);
            if (from == null) {
                return usage(err, "--since must be an instant (2026-03-01T12:00:00Z), a date (2026-03-01) or a "
                        + "time ago (30m, 2h, 7d), got '" + since + "'");
            }
        }
        List<AuditEvent> events;
        try {
            events = AuditTrail.read(file);
        } catch (IOException e) {
            return usage(err, "cannot read " + file + ": " + FileErrors.reason(e));
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        for (AuditEvent e : events) {
            if ((from == null || !e.eventTime().isBefore(from)) && matches(e)) {
                out.println(line(e));
            }
        }
        out.flush();
        return 0;
    }

    private boolean matches(AuditEvent e) {
        return secretId == null || concerns(e, secretId);
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

    static String line(AuditEvent e) {
        String name = e.eventName();
        if (e.eventSource().startsWith("lambda.")) {
            name = "Invoke " + e.json().path("additionalEventData").path("Step").asText() + " "
                    + e.json().path("requestParameters").path("functionName").asText();
        }
        String who = e.principalArn().or(() -> e.invokedBy()).or(() -> e.accessKeyId().map(k -> "key " + k))
                .orElse("unsigned");
        String outcome = e.errorCode().map(c -> c + e.errorMessage().map(m -> ": " + m).orElse(""))
                .or(() -> e.json().path("additionalEventData").has("FunctionError")
                        ? java.util.Optional.of("FunctionError " + e.json().path("additionalEventData")
                        .path("FunctionError").asText()) : java.util.Optional.empty())
                .orElse("OK");
        return String.format(Locale.ROOT, "%s  %-26s %-52s %s  %s", e.eventTime(), name, who,
                e.secretId().orElse("-"), outcome);
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

    private static int usage(PrintWriter err, String message) {
        err.println("audit: " + message);
        return Main.USAGE;
    }
}
