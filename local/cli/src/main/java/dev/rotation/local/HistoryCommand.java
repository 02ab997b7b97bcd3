package dev.rotation.local;

import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.AuditTrail;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code history}: one secret's rotations from the local Secrets Manager's audit trail, oldest first, one line
 * each: when it started, its token, the outcome, attempts and duration, the function, and each step with how
 * often it ran and failed (see {@link RotationHistory}). Rotations still running, or stopped without an
 * outcome, come last as unfinished.
 */
@Command(name = "history", sortOptions = false,
        description = {"One secret's rotations from the local Secrets Manager's audit trail: start, outcome, "
                + "attempts, duration, function and steps, one rotation a line."})
final class HistoryCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--secret-id", required = true, paramLabel = "ID", description = "The secret (name or ARN).")
    private String secretId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory serve ran with; its log is "
            + "DIR/" + LocalSecretsManager.AUDIT_LOG + ".")
    private Path dataDir;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "The audit log serve --audit-log wrote.")
    private Path auditLog;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only rotations started from WHEN on: an instant, "
            + "a date (UTC) or a time ago (30m, 2h, 7d).")
    private String since;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((dataDir == null) == (auditLog == null)) {
            return usage(err, "name the log with --data-dir DIR or --audit-log FILE (one of them)");
        }
        Instant from = null;
        if (since != null) {
            from = AuditCommand.since(since);
            if (from == null) {
                return usage(err, "--since must be an instant (2026-03-01T12:00:00Z), a date (2026-03-01) or a "
                        + "time ago (30m, 2h, 7d), got '" + since + "'");
            }
        }
        Path file = auditLog != null ? auditLog : dataDir.resolve(LocalSecretsManager.AUDIT_LOG);
        List<AuditEvent> events;
        try {
            events = AuditTrail.read(file);
        } catch (IOException e) {
            return usage(err, "cannot read " + file + ": " + FileErrors.reason(e));
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        RotationHistory history = new RotationHistory();
        List<RotationHistory.Rotation> rotations = new ArrayList<>();
        for (AuditEvent e : events) {
            if (AuditCommand.concerns(e, secretId)) {
                history.accept(e).ifPresent(rotations::add);
            }
        }
        rotations.addAll(history.unfinished());
        int shown = 0;
        for (RotationHistory.Rotation r : rotations) {
            if (from == null || r.started() == null || !r.started().isBefore(from)) {
                out.println(r.line() + r.reason().map(why -> "  reason: " + why).orElse(""));
                shown++;
            }
        }
        if (shown == 0) {
            out.println("No rotation of " + secretId + " in " + file);
        }
        out.flush();
        return 0;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("history: " + message);
        return Main.USAGE;
    }
}
