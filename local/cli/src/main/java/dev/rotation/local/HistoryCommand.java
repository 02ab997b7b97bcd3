package dev.rotation.local;

import dev.rotation.local.secretsmanager.AuditEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private AuditLogOptions log;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AuditLogOptions.Log read;
        try {
            read = log.read();
        } catch (AuditLogOptions.UsageException e) {
            return usage(err, e.getMessage());
        }
        Instant from = read.from();
        Path file = read.file();
        RotationHistory history = new RotationHistory();
        List<RotationHistory.Rotation> rotations = new ArrayList<>();
        for (AuditEvent e : read.events()) {
            if (AuditLogOptions.concerns(e, secretId)) {
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
