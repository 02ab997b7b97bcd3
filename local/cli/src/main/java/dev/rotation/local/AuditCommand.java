package dev.rotation.local;

import dev.rotation.local.secretsmanager.AuditEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private AuditLogOptions log;

    @Option(names = "--secret-id", paramLabel = "ID", description = "Only this secret's events (name or ARN).")
    private String secretId;

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
        for (AuditEvent e : read.events()) {
            if ((from == null || !e.eventTime().isBefore(from)) && matches(e)) {
                out.println(line(e));
            }
        }
        out.flush();
        return 0;
    }

    private boolean matches(AuditEvent e) {
        return secretId == null || AuditLogOptions.concerns(e, secretId);
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

    private static int usage(PrintWriter err, String message) {
        err.println("audit: " + message);
        return Main.USAGE;
    }
}
