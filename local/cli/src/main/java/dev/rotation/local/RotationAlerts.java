package dev.rotation.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.RotationOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What {@code serve} does with the audit trail as it is written, on a thread of its own so the server never
 * waits: one line per rotation (secret, outcome, attempts, duration, function, steps and reason), and each
 * {@code RotationFailed} / {@code RotationAbandoned} forwarded to {@code --on-rotation-failure CMD} (run by
 * {@code /bin/sh -c}, the event on its stdin) and/or POSTed to {@code --on-rotation-failure-webhook URL}.
 * The event is the one EventBridge delivers for a CloudTrail service event ({@code detail-type} "AWS Service
 * Event via CloudTrail", {@code source} aws.secretsmanager, the CloudTrail record in {@code detail}), so an
 * alert handler written for AWS can be rehearsed against it. It carries no secret value.
 */
final class RotationAlerts implements AutoCloseable {
    /** How long a command or a webhook may take before it is given up on. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final URI webhook;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Function<String, Optional<RotationOutcome>> outcomes;
    private final RotationHistory history = new RotationHistory();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rotation-alerts");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;

    /**
     * @param command  run for each failure event, or null
     * @param webhook  POSTed each failure event, or null
     * @param outcomes the server's latest rotation outcome by secret ARN, for the failure's reason
     */
    RotationAlerts(String command, URI webhook, PrintWriter out, PrintWriter err,
                   Function<String, Optional<RotationOutcome>> outcomes) {
        this.command = command;
        this.webhook = webhook;
        this.out = out;
        this.err = err;
        this.outcomes = outcomes;
        this.http = webhook == null ? null : HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * Checks a webhook URL: http or https, with a host, without credentials in it (they would end up in
     * logs); returns the problem, or null.
     */
    static String checkWebhook(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "--on-rotation-failure-webhook is not a URL: " + e.getMessage();
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            return "--on-rotation-failure-webhook must be an http:// or https:// URL";
        }
        if (uri.getHost() == null) {
            return "--on-rotation-failure-webhook has no host";
        }
        if (uri.getRawUserInfo() != null) {
            return "--on-rotation-failure-webhook must not carry credentials (user:password@); put a token in "
                    + "the path or query instead";
        }
        return null;
    }

    /** The audit listener: hands the event to the worker and returns at once. */
    void onEvent(AuditEvent e) {
        try {
            worker.execute(() -> handle(e));
        } catch (RuntimeException closed) {
            // the server is stopping
        }
    }

    private void handle(AuditEvent e) {
        try {
            history.accept(e).ifPresent(this::print);
            String name = e.eventName();
            if (e.eventSource().equals("secretsmanager.amazonaws.com")
                    && (name.equals("RotationFailed") || name.equals("RotationAbandoned"))) {
                String event = eventBridge(e);
                if (command != null) {
                    runCommand(name, e.secretId().orElse(""), event);
                }
                if (webhook != null) {
                    post(event);
                }
            }
        } catch (RuntimeException ex) {
            err.println("serve: handling the " + e.eventName() + " event failed: " + ex);
            err.flush();
        }
    }

    private void print(RotationHistory.Rotation r) {
        String reason = r.reason().map(why -> "  reason: " + outcomes.apply(r.secretId())
                .filter(o -> r.versionId().equals(o.versionId()) && o.reason() != null)
                .map(RotationOutcome::reason).orElse(why)).orElse("");
        out.println("Rotation " + r.line() + reason);
        out.flush();
    }

    /** The event as EventBridge delivers a CloudTrail service event to a rule. */
    static String eventBridge(AuditEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", "0").put("id", UUID.randomUUID().toString())
                .put("detail-type", "AWS Service Event via CloudTrail").put("source", "aws.secretsmanager")
                .put("account", e.json().path("recipientAccountId").asText())
                .put("time", e.eventTime().toString()).put("region", e.json().path("awsRegion").asText());
        o.putArray("resources");
        o.set("detail", e.json());
        return o.toString();
    }

    private void runCommand(String eventName, String secretArn, String event) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        pb.environment().put("ROTATION_EVENT_NAME", eventName);
        pb.environment().put("ROTATION_SECRET_ARN", secretArn);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            err.println("serve: --on-rotation-failure could not start /bin/sh: " + ex.getMessage());
            err.flush();
            return;
        }
        try {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(event.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // the command need not read its input
            }
            Thread copier = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        err.println("[on-rotation-failure] " + line);
                    }
                    err.flush();
                } catch (IOException ignored) {
                    // the process went away
                }
            }, "on-rotation-failure-output");
            copier.setDaemon(true);
            copier.start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                err.println("serve: --on-rotation-failure ran longer than " + TIMEOUT.toSeconds()
                        + " s for " + eventName + " and was stopped");
            } else if (p.exitValue() != 0) {
                err.println("serve: --on-rotation-failure exited with status " + p.exitValue() + " for "
                        + eventName);
            }
            copier.join(TIMEOUT.toMillis());
            err.flush();
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void post(String event) {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                err.println("serve: --on-rotation-failure-webhook answered HTTP " + response.statusCode());
            }
        } catch (IOException ex) {
            err.println("serve: --on-rotation-failure-webhook could not be reached: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        err.flush();
    }

    /** Waits (a little) for the events already handed over, then stops. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
    }

    /** For tests: rotations not yet ended. */
    List<RotationHistory.Rotation> unfinished() {
        return history.unfinished();
    }
}
