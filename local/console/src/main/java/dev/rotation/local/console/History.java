package dev.rotation.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the audit trail says happened to each secret's labels and rotations, kept small: only the
 * events that move a label or belong to a rotation, at most {@link #MAX_PER_SECRET} per secret, each
 * reduced to a few fields. Audit events hold no secret values, so neither does this. Events that arrive
 * live also get the time they arrived to the millisecond (the trail has whole seconds), from which the
 * steps' durations come. Thread-safe.
 */
final class History implements AuditTrail.Listener {
    static final int MAX_PER_SECRET = 500;
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    static final String PENDING = "AWSPENDING";

    /** One event, reduced; {@code received} is null for events read back from the audit log. */
    record Entry(Instant time, Instant received, String name, String version, String step, boolean failed,
                 String stage, String moveTo, String removeFrom, List<String> stages) {
        Instant at() {
            return received != null ? received : time;
        }
    }

    /** A label on a version from {@code from} until {@code to} (null: still on it). */
    record Span(String version, String label, Instant from, Instant to) {
    }

    /** One step's invocation; {@code duration} is null when not known to the millisecond. */
    record Step(String step, Instant at, Duration duration, boolean failed) {
    }

    /** One rotation (or test rotation) by its version (ClientRequestToken). */
    static final class Rotation {
        final String version;
        final boolean test;
        final Instant started;
        final List<Step> steps = new ArrayList<>();
        String outcome = "IN_PROGRESS";
        Instant ended;
        int attempts;
        private Instant mark;

        Rotation(String version, boolean test, Instant started, Instant mark) {
            this.version = version;
            this.test = test;
            this.started = started;
            this.mark = mark;
        }
    }

    private final Map<String, Deque<Entry>> bySecret = new ConcurrentHashMap<>();

    /** Adds events read back from an audit log, oldest first. */
    void load(List<AuditEvent> events) {
        events.forEach(e -> add(e, null));
    }

    @Override
    public void onEvent(AuditEvent event) {
        add(event, Instant.now());
    }

    private void add(AuditEvent e, Instant received) {
        Entry entry = entry(e, received);
        if (entry == null) {
            return;
        }
        String arn = e.secretId().orElse(null);
        if (arn == null || !arn.startsWith("arn:")) {
            return;
        }
        Deque<Entry> d = bySecret.computeIfAbsent(arn, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(entry);
            while (d.size() > MAX_PER_SECRET) {
                d.removeFirst();
            }
        }
    }

    private static Entry entry(AuditEvent e, Instant received) {
        String name = e.eventName();
        if (e.errorCode().isPresent()) {
            return null; // a refused or failed call changed nothing
        }
        JsonNode j = e.json();
        JsonNode request = j.path("requestParameters");
        JsonNode response = j.path("responseElements");
        JsonNode extra = j.path("additionalEventData");
        Instant t = e.eventTime();
        return switch (name) {
            case "CreateSecret", "UpdateSecret", "PutSecretValue" -> {
                String version = text(response.get("versionId"));
                if (version == null) {
                    yield null;
                }
                List<String> stages = new ArrayList<>();
                request.path("versionStages").forEach(s -> stages.add(s.asText()));
                if (stages.isEmpty()) {
                    stages.add(CURRENT); // the default for all three
                }
                yield new Entry(t, received, name, version, null, false, null, null, null, List.copyOf(stages));
            }
            case "UpdateSecretVersionStage" -> new Entry(t, received, name, null, null, false,
                    text(request.get("versionStage")), text(request.get("moveToVersionId")),
                    text(request.get("removeFromVersionId")), List.of());
            case "RotateSecret" -> new Entry(t, received, name, text(response.get("versionId")), null, false, null,
                    null, null, List.of());
            case "CancelRotateSecret", "DeleteSecret", "RestoreSecret" ->
                    new Entry(t, received, name, null, null, false, null, null, null, List.of());
            case "RotationStarted", "RotationSucceeded", "RotationFailed", "RotationAbandoned",
                 "TestRotationStarted", "TestRotationSucceeded", "TestRotationFailed" ->
                    new Entry(t, received, name, text(extra.get("VersionId")), null, false, null, null, null, List.of());
            case "Invoke" -> new Entry(t, received, name, text(extra.get("ClientRequestToken")),
                    text(extra.get("Step")), extra.has("FunctionError"), null, null, null, List.of());
            default -> null;
        };
    }

    private static String text(JsonNode n) {
        return n == null || !n.isValueNode() || n.isNull() ? null : n.asText();
    }

    List<Entry> entries(String arn) {
        Deque<Entry> d = bySecret.get(arn);
        if (d == null) {
            return List.of();
        }
        synchronized (d) {
            return List.copyOf(d);
        }
    }

    /** Which version held AWSCURRENT and AWSPREVIOUS when, oldest first. */
    List<Span> spans(String arn) {
        List<Span> spans = new ArrayList<>();
        String current = null;
        String previous = null;
        Instant currentSince = null;
        Instant previousSince = null;
        for (Entry e : entries(arn)) {
            Instant t = e.at();
            String newCurrent = null;
            if (e.version() != null && e.stages().contains(CURRENT)) {
                newCurrent = e.version();
            } else if (CURRENT.equals(e.stage()) && e.moveTo() != null) {
                newCurrent = e.moveTo();
            } else if (PREVIOUS.equals(e.stage())) {
                if (previous != null) {
                    spans.add(new Span(previous, PREVIOUS, previousSince, t));
                }
                previous = e.moveTo();
                previousSince = t;
            }
            if (newCurrent != null && !newCurrent.equals(current)) {
                if (previous != null) {
                    spans.add(new Span(previous, PREVIOUS, previousSince, t));
                    previous = null;
                }
                if (current != null) {
                    spans.add(new Span(current, CURRENT, currentSince, t));
                    previous = current;
                    previousSince = t;
                }
                current = newCurrent;
                currentSince = t;
            }
        }
        if (current != null) {
            spans.add(new Span(current, CURRENT, currentSince, null));
        }
        if (previous != null) {
            spans.add(new Span(previous, PREVIOUS, previousSince, null));
        }
        return spans;
    }

    /** The rotations and test rotations, newest first. */
    List<Rotation> rotations(String arn) {
        Map<String, Rotation> open = new LinkedHashMap<>();
        List<Rotation> all = new ArrayList<>();
        for (Entry e : entries(arn)) {
            if (e.version() == null) {
                continue;
            }
            switch (e.name()) {
                case "RotationStarted", "TestRotationStarted" -> {
                    Rotation r = new Rotation(e.version(), e.name().startsWith("Test"), e.at(), e.received());
                    open.put(e.version(), r);
                    all.add(r);
                }
                case "Invoke" -> {
                    Rotation r = open.get(e.version());
                    if (r == null) {
                        continue;
                    }
                    Duration d = e.received() != null && r.mark != null ? Duration.between(r.mark, e.received()) : null;
                    r.steps.add(new Step(e.step(), e.time(), d, e.failed()));
                    r.mark = e.received();
                    if (e.step() != null && (e.step().equals("createSecret") || r.test)) {
                        r.attempts++;
                    }
                }
                case "RotationSucceeded", "TestRotationSucceeded", "RotationFailed", "TestRotationFailed",
                     "RotationAbandoned" -> {
                    Rotation r = open.remove(e.version());
                    if (r == null && e.name().equals("RotationAbandoned")) {
                        r = all.stream().filter(x -> x.version.equals(e.version())).reduce((a, b) -> b).orElse(null);
                    }
                    if (r != null) {
                        r.outcome = e.name().endsWith("Succeeded") ? "SUCCEEDED"
                                : e.name().endsWith("Failed") ? "FAILED" : "ABANDONED";
                        r.ended = e.at();
                    }
                }
                default -> {
                }
            }
        }
        List<Rotation> newestFirst = new ArrayList<>(all);
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }
}
