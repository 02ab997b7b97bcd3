package dev.rotation.local;

import dev.rotation.local.secretsmanager.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rotations as the audit trail tells them: a rotation starts with the service's {@code RotationStarted}
 * (or {@code TestRotationStarted}), runs the function's steps (Lambda's {@code Invoke} events, one per step
 * and attempt, with {@code FunctionError} when one failed) and ends with {@code RotationSucceeded},
 * {@code RotationFailed}, {@code RotationAbandoned} or their test counterparts; all are keyed by the secret
 * and the rotation's token. Feed events oldest first; {@code serve} does it as they happen, {@code history}
 * from the log. The events carry no secret value, and neither does anything made of them.
 */
final class RotationHistory {
    /** One step of a rotation: how often it was invoked and how often it failed. */
    record Step(String name, int invocations, int failures) {
        @Override
        public String toString() {
            if (failures == 0) {
                return name + " ok" + (invocations > 1 ? " x" + invocations : "");
            }
            return name + (failures == invocations ? " failed" : " ok " + (invocations - failures) + ", failed")
                    + (failures > 1 ? " x" + failures : "");
        }
    }

    /**
     * One rotation. {@code outcome} is the ending event's name ({@code RotationSucceeded} ...), or null while
     * it has not ended; {@code attempts} counts the first step's invocations.
     */
    record Rotation(String secretId, String versionId, String function, Instant started, Instant ended,
                    List<Step> steps, String outcome) {
        Optional<Duration> duration() {
            return started == null || ended == null ? Optional.empty() : Optional.of(Duration.between(started, ended));
        }

        int attempts() {
            return steps.isEmpty() ? 0 : steps.get(0).invocations();
        }

        boolean failed() {
            return outcome != null && !outcome.endsWith("Succeeded");
        }

        /** Why it failed, from the trail: the step that failed last, or that a new version abandoned it. */
        Optional<String> reason() {
            if (outcome == null || !failed()) {
                return Optional.empty();
            }
            if (outcome.equals("RotationAbandoned")) {
                return Optional.of("a new AWSCURRENT version was written during the rotation, which abandoned it");
            }
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i).failures() > 0) {
                    return Optional.of("step " + steps.get(i).name() + " failed (FunctionError)");
                }
            }
            return Optional.of("the rotation function was not invoked successfully");
        }

        /** {@code RotationFailed} -> {@code failed}. */
        String outcomeWord() {
            if (outcome == null) {
                return "unfinished";
            }
            String word = outcome.replace("TestRotation", "test ").replace("Rotation", "");
            return word.toLowerCase(Locale.ROOT).trim();
        }

        /** One line: when, secret, outcome, attempts, duration, function and steps. */
        String line() {
            StringBuilder b = new StringBuilder();
            b.append(started == null ? "-" : started.toString()).append("  ").append(secretId)
                    .append("  version ").append(versionId).append("  ").append(outcomeWord());
            if (attempts() > 0) {
                b.append(" after ").append(attempts()).append(attempts() == 1 ? " attempt" : " attempts");
            }
            duration().ifPresent(d -> b.append(" in ").append(String.format(Locale.ROOT, "%.1f s",
                    d.toMillis() / 1000.0)));
            b.append("  function ").append(function == null ? "-" : function);
            b.append("  steps ").append(steps.isEmpty() ? "none" : String.join(", ",
                    steps.stream().map(Step::toString).toList()));
            return b.toString();
        }
    }

    private static final class Open {
        final String secretId;
        final String versionId;
        Instant started;
        String function;
        final Map<String, int[]> steps = new LinkedHashMap<>();

        Open(String secretId, String versionId) {
            this.secretId = secretId;
            this.versionId = versionId;
        }

        Rotation snapshot(Instant ended, String outcome) {
            List<Step> list = new ArrayList<>();
            steps.forEach((name, n) -> list.add(new Step(name, n[0], n[1])));
            return new Rotation(secretId, versionId, function, started, ended, List.copyOf(list), outcome);
        }
    }

    private final Map<String, Open> open = new LinkedHashMap<>();
    /** Ended rotations, for a RotationAbandoned that follows a RotationFailed of the same version. */
    private final Map<String, Open> ended = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
            return size() > 1000;
        }
    };

    /** Takes the next event; returns the rotation it ended, if it ended one. */
    synchronized Optional<Rotation> accept(AuditEvent e) {
        String name = e.eventName();
        var extra = e.json().path("additionalEventData");
        String secret = extra.path("SecretId").asText(null);
        if (secret == null) {
            return Optional.empty();
        }
        if (e.eventSource().startsWith("lambda.")) {
            String token = extra.path("ClientRequestToken").asText(null);
            if (token == null) {
                return Optional.empty();
            }
            Open r = open.computeIfAbsent(key(secret, token), k -> new Open(secret, token));
            if (r.started == null) {
                r.started = e.eventTime();
            }
            r.function = e.json().path("requestParameters").path("functionName").asText(r.function);
            int[] n = r.steps.computeIfAbsent(extra.path("Step").asText("?"), k -> new int[2]);
            n[0]++;
            if (extra.has("FunctionError")) {
                n[1]++;
            }
            return Optional.empty();
        }
        String version = extra.path("VersionId").asText(null);
        if (version == null || !name.contains("Rotation")) {
            return Optional.empty();
        }
        if (name.endsWith("Started")) {
            Open r = new Open(secret, version);
            r.started = e.eventTime();
            open.put(key(secret, version), r);
            return Optional.empty();
        }
        Open r = open.remove(key(secret, version));
        if (r == null) {
            r = ended.getOrDefault(key(secret, version), new Open(secret, version));
        }
        ended.put(key(secret, version), r);
        return Optional.of(r.snapshot(e.eventTime(), name));
    }

    /** The rotations started and not ended (still running, or stopped without an outcome). */
    synchronized List<Rotation> unfinished() {
        return open.values().stream().map(r -> r.snapshot(null, null)).toList();
    }

    private static String key(String secret, String version) {
        return secret + "\n" + version;
    }
}
