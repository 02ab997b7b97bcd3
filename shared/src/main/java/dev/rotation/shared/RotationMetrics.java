package dev.rotation.shared;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * CloudWatch metrics for every step end, as one JSON object in CloudWatch Embedded Metric Format
 * (EMF) on the log sink (stdout on Lambda). CloudWatch Logs extracts the metrics from the log event
 * itself: no {@code PutMetricData} call, no permission and no library beyond the SDK's JSON writer,
 * which the log lines load anyway.
 *
 * <pre>{@code
 * {"_aws":{"Timestamp":1718000000000,"CloudWatchMetrics":[{"Namespace":"SecretsManagerRotation",
 *   "Dimensions":[["function","step"],["function"]],
 *   "Metrics":[{"Name":"Duration","Unit":"Milliseconds"},{"Name":"Succeeded","Unit":"Count"},
 *              {"Name":"Skipped","Unit":"Count"},{"Name":"Failed","Unit":"Count"}]}]},
 *  "function":"rds-rotation-mysql","step":"setSecret","requestId":"…",
 *  "Duration":182,"Succeeded":1,"Skipped":0,"Failed":0}
 * }</pre>
 *
 * <p>The dimension set {@code [function]} gives each function one {@code Failed} series to alarm
 * on, whatever the step. Values are the function's name, the step (one of the four, else
 * {@value #INVALID}) and, only when {@value #SECRET_NAME_DIMENSION} is true, the secret's name
 * (names can say what a database is for, so they stay out by default); never anything read from a
 * secret's value. A step the Lambda runtime kills on timeout writes no object: the service's
 * {@code RotationFailed} event covers that case (template.yaml).
 */
final class RotationMetrics {
    /** Environment variable: {@code false} writes no metrics (default true). */
    static final String ENABLED = "METRICS_ENABLED";
    /** Environment variable: the CloudWatch namespace (default {@value #DEFAULT_NAMESPACE}). */
    static final String NAMESPACE = "METRICS_NAMESPACE";
    /** Environment variable: {@code true} adds the dimension set {@code [function, secret]} (default false). */
    static final String SECRET_NAME_DIMENSION = "METRICS_SECRET_NAME_DIMENSION";
    /** Set by Lambda (and by the local runtime): the function's name. */
    static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    static final String DEFAULT_NAMESPACE = "SecretsManagerRotation";
    /** The step or secret dimension's value when the event's own value cannot be one. */
    static final String INVALID = "invalid";

    // CloudWatch namespaces: up to 255 of these characters, not blank, and "AWS/" is reserved.
    private static final Pattern NAMESPACE_CHARACTERS = Pattern.compile("[A-Za-z0-9._/#: -]{1,255}");
    private static final int MAX_DIMENSION_VALUE = 1024;

    private final boolean enabled;
    private final String namespace;
    private final String function;
    private final boolean secretNameDimension;
    private final RotationException problem;

    private RotationMetrics(boolean enabled, String namespace, String function, boolean secretNameDimension,
            RotationException problem) {
        this.enabled = enabled;
        this.namespace = namespace;
        this.function = function;
        this.secretNameDimension = secretNameDimension;
        this.problem = problem;
    }

    /**
     * Reads {@value #ENABLED}, {@value #NAMESPACE}, {@value #SECRET_NAME_DIMENSION} and
     * {@value #FUNCTION_NAME}. An invalid value becomes {@link #problem()} (the step then fails with
     * it) and its default is used, so that the failure still counts in the metrics the alarms watch;
     * the secret's name is never added on a bad value.
     *
     * @param fallbackFunction the function dimension when {@value #FUNCTION_NAME} is unset (tests, other
     *     hosts) or invalid, e.g. the handler's class name
     */
    static RotationMetrics fromEnvironment(EnvironmentVariables env, String fallbackFunction) {
        RotationException problem = null;
        boolean enabled = true;
        boolean secretName = false;
        try {
            enabled = env.flag(ENABLED, true);
        } catch (RotationException e) {
            problem = e;
        }
        try {
            secretName = env.flag(SECRET_NAME_DIMENSION, false);
        } catch (RotationException e) {
            problem = problem == null ? e : problem;
        }
        String namespace = env.get(NAMESPACE).orElse(DEFAULT_NAMESPACE);
        if (!NAMESPACE_CHARACTERS.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            problem = problem == null ? EnvironmentVariables.invalid(NAMESPACE, "must be a CloudWatch namespace:"
                    + " up to 255 letters, digits, spaces and . - _ / # :, not starting with AWS/") : problem;
            namespace = DEFAULT_NAMESPACE;
        }
        String fallback = isDimensionValue(fallbackFunction) ? fallbackFunction : "rotation-function";
        String function = env.get(FUNCTION_NAME).orElse(fallback);
        if (!isDimensionValue(function)) {
            problem = problem == null ? EnvironmentVariables.invalid(FUNCTION_NAME, "must be 1 to 1024 printable"
                    + " ASCII characters (a CloudWatch dimension value)") : problem;
            function = fallback;
        }
        return new RotationMetrics(enabled, namespace, function, secretName, problem);
    }

    /** The first invalid metrics variable, or null. */
    RotationException problem() {
        return problem;
    }

    /**
     * Writes the EMF object for one step end to {@code sink}, unless metrics are off.
     *
     * @param outcome {@code succeeded}, {@code skipped} or {@code failed}
     * @param step the event's Step, as received
     * @param secretId the event's SecretId, as received (used only with {@value #SECRET_NAME_DIMENSION})
     * @param requestId the Lambda request id, to find the step's log lines; may be null
     */
    void write(Consumer<String> sink, String outcome, long durationMs, String step, String secretId,
            String requestId, SecretScrubber scrubber) {
        if (!enabled) {
            return;
        }
        String secret = secretNameDimension ? secretDimension(secretId, scrubber) : null;
        try (JsonWriter json = JsonWriter.create()) {
            json.writeStartObject();
            json.writeFieldName("_aws");
            json.writeStartObject();
            json.writeFieldName("Timestamp");
            json.writeValue(System.currentTimeMillis());
            json.writeFieldName("CloudWatchMetrics");
            json.writeStartArray();
            json.writeStartObject();
            json.writeFieldName("Namespace");
            json.writeValue(namespace);
            json.writeFieldName("Dimensions");
            json.writeStartArray();
            dimensionSet(json, "function", "step");
            dimensionSet(json, "function", null);
            if (secret != null) {
                dimensionSet(json, "function", "secret");
            }
            json.writeEndArray();
            json.writeFieldName("Metrics");
            json.writeStartArray();
            metricDefinition(json, "Duration", "Milliseconds");
            metricDefinition(json, "Succeeded", "Count");
            metricDefinition(json, "Skipped", "Count");
            metricDefinition(json, "Failed", "Count");
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            member(json, "function", function);
            member(json, "step", RotationStep.fromEventName(step).isPresent() ? step : INVALID);
            if (secret != null) {
                member(json, "secret", secret);
            }
            if (requestId != null && isDimensionValue(requestId)) {
                member(json, "requestId", requestId);
            }
            json.writeFieldName("Duration");
            json.writeValue(Math.max(0, durationMs));
            count(json, "Succeeded", "succeeded".equals(outcome));
            count(json, "Skipped", "skipped".equals(outcome));
            count(json, "Failed", "failed".equals(outcome));
            json.writeEndObject();
            sink.accept(new String(json.getBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The secret's name from its ARN ({@code …:secret:NAME-AbCdEf}), or the id as given; scrubbed. */
    private static String secretDimension(String secretId, SecretScrubber scrubber) {
        if (secretId == null) {
            return INVALID;
        }
        String name = secretId;
        int marker = secretId.startsWith("arn:") ? secretId.indexOf(":secret:") : -1;
        if (marker >= 0) {
            name = secretId.substring(marker + ":secret:".length());
            // Secrets Manager appends a hyphen and six random characters to the name in the ARN.
            if (name.length() > 7 && name.charAt(name.length() - 7) == '-') {
                name = name.substring(0, name.length() - 7);
            }
        }
        name = scrubber.scrub(name);
        return isDimensionValue(name) ? name : INVALID;
    }

    /**
     * CloudWatch's rule for a dimension value: 1 to 1024 ASCII characters, no control characters,
     * at least one that is not whitespace.
     */
    static boolean isDimensionValue(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DIMENSION_VALUE || value.isBlank()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void dimensionSet(JsonWriter json, String first, String second) {
        json.writeStartArray();
        json.writeValue(first);
        if (second != null) {
            json.writeValue(second);
        }
        json.writeEndArray();
    }

    private static void metricDefinition(JsonWriter json, String name, String unit) {
        json.writeStartObject();
        json.writeFieldName("Name");
        json.writeValue(name);
        json.writeFieldName("Unit");
        json.writeValue(unit);
        json.writeEndObject();
    }

    private static void member(JsonWriter json, String name, String value) {
        json.writeFieldName(name);
        json.writeValue(value);
    }

    private static void count(JsonWriter json, String name, boolean value) {
        json.writeFieldName(name);
        json.writeValue(value ? 1L : 0L);
    }
}
