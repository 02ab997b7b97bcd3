package dev.rotation.shared;

import dev.rotation.secret.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON line per event (Lambda ships stdout to CloudWatch Logs): level, step, secret ARN, token,
 * outcome, duration and message or reason. Every string is scrubbed of known secrets and
 * JSON-escaped, so neither a password nor a forged extra line can get in. A step's end also writes
 * its {@link RotationMetrics} object, just before the end line and whatever the log level.
 */
final class RotationLog {
    /** Environment variable: DEBUG, INFO, WARN or ERROR (default INFO; else Lambda's AWS_LAMBDA_LOG_LEVEL). */
    static final String LOG_LEVEL = "LOG_LEVEL";
    static final String LAMBDA_LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";

    enum Level {
        DEBUG, INFO, WARN, ERROR;

        static Level fromEnvironment(EnvironmentVariables env) {
            if (env.get(LOG_LEVEL).isPresent()) {
                return parse(env.get(LOG_LEVEL).get(), LOG_LEVEL);
            }
            // Lambda's advanced logging controls use TRACE and FATAL too.
            return env.get(LAMBDA_LOG_LEVEL)
                    .map(value -> value.toUpperCase(Locale.ROOT).replace("TRACE", "DEBUG").replace("FATAL", "ERROR"))
                    .map(value -> parse(value, LAMBDA_LOG_LEVEL))
                    .orElse(INFO);
        }

        private static Level parse(String value, String variable) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw EnvironmentVariables.invalid(variable, "must be DEBUG, INFO, WARN or ERROR");
            }
        }
    }

    private final Consumer<String> sink;
    private final Level threshold;
    private final SecretScrubber scrubber;
    private final String step;
    private final String secretArn;
    private final String token;
    private final String requestId;
    private final RotationMetrics metrics;

    RotationLog(Consumer<String> sink, Level threshold, SecretScrubber scrubber, String step, String secretArn,
            String token) {
        this(sink, threshold, scrubber, step, secretArn, token, null, null);
    }

    /**
     * @param requestId the Lambda request id, to find the invocation's other output; may be null
     * @param metrics what a step's end writes besides its line; null for nothing
     */
    RotationLog(Consumer<String> sink, Level threshold, SecretScrubber scrubber, String step, String secretArn,
            String token, String requestId, RotationMetrics metrics) {
        this.requestId = requestId;
        this.metrics = metrics;
        this.sink = sink;
        this.threshold = threshold;
        this.scrubber = scrubber;
        this.step = step;
        this.secretArn = secretArn;
        this.token = token;
    }

    void debug(String message) {
        write(Level.DEBUG, null, null, message, null);
    }

    void info(String message) {
        write(Level.INFO, null, null, message, null);
    }

    void warn(String message) {
        write(Level.WARN, null, null, message, null);
    }

    void started() {
        write(Level.INFO, "started", null, null, null);
    }

    void succeeded(long durationMs, String message) {
        metrics("succeeded", durationMs);
        write(Level.INFO, "succeeded", durationMs, message, null);
    }

    void skipped(long durationMs, String message) {
        metrics("skipped", durationMs);
        write(Level.INFO, "skipped", durationMs, message, null);
    }

    void failed(long durationMs, String reason) {
        metrics("failed", durationMs);
        write(Level.ERROR, "failed", durationMs, null, reason);
    }

    /** Never lets the metrics turn a step's outcome into another: a fault in them is only a warning. */
    private void metrics(String outcome, long durationMs) {
        if (metrics == null) {
            return;
        }
        try {
            metrics.write(sink, outcome, durationMs, step, secretArn, requestId, scrubber);
        } catch (RuntimeException e) {
            warn("no metrics for this step: " + e.getClass().getSimpleName());
        }
    }

    private void write(Level level, String outcome, Long durationMs, String message, String reason) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level.name());
        line.put("step", scrubber.scrub(step));
        line.put("secretArn", scrubber.scrub(secretArn));
        line.put("token", scrubber.scrub(token));
        if (requestId != null) {
            line.put("requestId", scrubber.scrub(requestId));
        }
        if (outcome != null) {
            line.put("outcome", outcome);
        }
        if (durationMs != null) {
            line.put("durationMs", durationMs);
        }
        if (message != null) {
            line.put("message", scrubber.scrub(message));
        }
        if (reason != null) {
            line.put("reason", scrubber.scrub(reason));
        }
        sink.accept(Json.write(line));
    }
}
