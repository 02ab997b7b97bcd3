package dev.rotation.shared;

import dev.rotation.secret.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * A validator for CloudWatch Embedded Metric Format documents, written from the specification
 * ("Specification: Embedded metric format", Amazon CloudWatch User Guide) and the CloudWatch limits
 * it refers to (MetricDatum, Dimension, namespaces). Each rule's comment quotes or names its source;
 * {@link #problems} lists every rule a document breaks, so a test failure says which.
 */
final class EmbeddedMetricFormat {
    // Spec: "subject to the same limits as standard CloudWatch Logs events" — 256 KB in the older
    // text, 1 MB now; the smaller one holds either way.
    static final int MAX_BYTES = 256 * 1024;
    // Spec, MetricDirective: "This array MUST NOT contain more than 100 MetricDefinition objects".
    static final int MAX_METRICS = 100;
    // Spec, DimensionSet: "MUST NOT contain more than 30 dimension keys" (9 in the older text).
    static final int MAX_DIMENSIONS = 30;
    // Spec, target members: "Numeric array metric targets MUST NOT have more than 100 members".
    static final int MAX_VALUES = 100;
    // Spec's JSON schema: Namespace, dimension references and metric names are 1 to 255 characters.
    static final int MAX_NAME = 255;
    // CloudWatch Dimension: a value is 1 to 1024 characters.
    static final int MAX_DIMENSION_VALUE = 1024;
    // Spec: "Values SHOULD be valid CloudWatch metric units" (MetricDatum's StandardUnit).
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");
    // CloudWatch namespaces: letters, digits and . - _ / # : and space; "AWS/" is reserved.
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._/#: -]+");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    // CloudWatch accepts metric data up to two weeks old and up to two hours ahead.
    private static final Duration MAX_AGE = Duration.ofDays(14);
    private static final Duration MAX_AHEAD = Duration.ofHours(2);

    private EmbeddedMetricFormat() {
    }

    /** Every rule {@code line} breaks, checked against the clock now; empty when it is a valid document. */
    static List<String> problems(String line) {
        return problems(line, Instant.now());
    }

    static List<String> problems(String line, Instant now) {
        List<String> problems = new ArrayList<>();
        // Spec, root node: "a valid JSON object with no additional data at the beginning or end";
        // one log event, so one line.
        if (line.contains("\n") || line.contains("\r")) {
            problems.add("the document spans more than one line");
        }
        if (line.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            problems.add("the document is larger than " + MAX_BYTES + " bytes");
        }
        Map<String, JsonNode> root;
        try {
            root = Json.parseObject(line, "the document");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return problems;
        }
        // Spec: "MUST contain the following top-level member on the root node": _aws, an object.
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            problems.add("_aws is missing or not an object");
            return problems;
        }
        Map<String, JsonNode> metadata = aws.asObject();
        // Spec, metadata: Timestamp, "the number of milliseconds after Jan 1, 1970 00:00:00 UTC"
        // (an integer in the spec's schema, which requires it).
        JsonNode timestamp = metadata.get("Timestamp");
        if (timestamp == null || !timestamp.isNumber() || !INTEGER.matcher(timestamp.asNumber()).matches()) {
            problems.add("_aws.Timestamp is missing or not an integer number of milliseconds");
        } else {
            Instant at = Instant.ofEpochMilli(Long.parseLong(timestamp.asNumber()));
            if (at.isBefore(now.minus(MAX_AGE)) || at.isAfter(now.plus(MAX_AHEAD))) {
                problems.add("_aws.Timestamp " + at + " is not within two weeks before or two hours after now");
            }
        }
        // Spec, metadata: CloudWatchMetrics, "an array of MetricDirective objects".
        JsonNode directives = metadata.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics is missing or not an array");
            return problems;
        }
        if (directives.asArray().isEmpty()) {
            problems.add("_aws.CloudWatchMetrics has no directive, so the document defines no metric");
        }
        int index = 0;
        for (JsonNode directive : directives.asArray()) {
            directive(root, directive, "_aws.CloudWatchMetrics[" + index++ + "]", problems);
        }
        return problems;
    }

    private static void directive(Map<String, JsonNode> root, JsonNode node, String where, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + " is not an object");
            return;
        }
        Map<String, JsonNode> directive = node.asObject();
        // Spec: "objects defined by this specification MUST NOT contain any additional members".
        onlyMembers(directive, Set.of("Namespace", "Dimensions", "Metrics"), where, problems);
        // Spec: MetricDirectives "MUST contain" Namespace, Dimensions and Metrics.
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isString()) {
            problems.add(where + ".Namespace is missing or not a string");
        } else {
            String value = namespace.asString();
            if (value.isBlank() || value.length() > MAX_NAME || !NAMESPACE.matcher(value).matches()
                    || value.startsWith("AWS/")) {
                problems.add(where + ".Namespace '" + value + "' is not a CloudWatch namespace");
            }
        }
        JsonNode dimensions = directive.get("Dimensions");
        if (dimensions == null || !dimensions.isArray()) {
            problems.add(where + ".Dimensions is missing or not an array");
        } else {
            // The spec's schema: at least one DimensionSet (which MAY itself be empty).
            if (dimensions.asArray().isEmpty()) {
                problems.add(where + ".Dimensions has no DimensionSet");
            }
            int index = 0;
            for (JsonNode set : dimensions.asArray()) {
                dimensionSet(root, set, where + ".Dimensions[" + index++ + "]", problems);
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray()) {
            problems.add(where + ".Metrics is missing or not an array");
        } else {
            if (metrics.asArray().size() > MAX_METRICS) {
                problems.add(where + ".Metrics has more than " + MAX_METRICS + " MetricDefinitions");
            }
            int index = 0;
            for (JsonNode metric : metrics.asArray()) {
                metricDefinition(root, metric, where + ".Metrics[" + index++ + "]", problems);
            }
        }
    }

    private static void dimensionSet(Map<String, JsonNode> root, JsonNode node, String where, List<String> problems) {
        if (!node.isArray()) {
            problems.add(where + " is not an array");
            return;
        }
        List<JsonNode> keys = node.asArray();
        if (keys.size() > MAX_DIMENSIONS) {
            problems.add(where + " has more than " + MAX_DIMENSIONS + " dimension keys");
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode key : keys) {
            if (!key.isString()) {
                problems.add(where + " has a dimension key that is not a string");
                continue;
            }
            String name = key.asString();
            // CloudWatch Dimension: a name is ASCII, not blank, without control characters, does
            // not start with a colon, and is at most 255 characters; a metric's names are distinct.
            if (!isAsciiText(name, MAX_NAME) || name.startsWith(":")) {
                problems.add(where + ": '" + name + "' is not a CloudWatch dimension name");
            }
            if (!seen.add(name)) {
                problems.add(where + " names dimension '" + name + "' twice");
            }
            // Spec: "The values within this array MUST also be members on the root-node" and "The
            // target member MUST have a string value".
            JsonNode target = root.get(name);
            if (target == null || !target.isString()) {
                problems.add(where + ": dimension '" + name + "' has no string member on the root node");
            } else if (!isAsciiText(target.asString(), MAX_DIMENSION_VALUE)) {
                // CloudWatch Dimension: a value is ASCII, not blank, without control characters,
                // at most 1024 characters.
                problems.add(where + ": the value of dimension '" + name + "' is not a CloudWatch dimension value");
            }
        }
    }

    private static void metricDefinition(Map<String, JsonNode> root, JsonNode node, String where,
            List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + " is not an object");
            return;
        }
        Map<String, JsonNode> definition = node.asObject();
        // Spec: Name is required; Unit and StorageResolution MAY be given; nothing else.
        onlyMembers(definition, Set.of("Name", "Unit", "StorageResolution"), where, problems);
        JsonNode name = definition.get("Name");
        if (name == null || !name.isString() || name.asString().isBlank() || name.asString().length() > MAX_NAME) {
            problems.add(where + ".Name is missing or not a metric name of 1 to " + MAX_NAME + " characters");
        } else {
            // Spec: "Metric targets MUST be either a numeric value or an array of numeric values",
            // on the root node ("cannot be nested objects").
            JsonNode target = root.get(name.asString());
            if (target == null) {
                problems.add(where + ": metric '" + name.asString() + "' has no member on the root node");
            } else if (target.isArray()) {
                if (target.asArray().size() > MAX_VALUES) {
                    problems.add(where + ": metric '" + name.asString() + "' has more than " + MAX_VALUES + " values");
                }
                if (!target.asArray().stream().allMatch(JsonNode::isNumber)) {
                    problems.add(where + ": metric '" + name.asString() + "' has a value that is not a number");
                }
            } else if (!target.isNumber()) {
                problems.add(where + ": metric '" + name.asString() + "' is not a number");
            }
        }
        JsonNode unit = definition.get("Unit");
        if (unit != null && (!unit.isString() || !UNITS.contains(unit.asString()))) {
            problems.add(where + ".Unit is not a CloudWatch unit");
        }
        // MetricDatum: StorageResolution is 1 (high resolution) or 60.
        JsonNode resolution = definition.get("StorageResolution");
        if (resolution != null && (!resolution.isNumber()
                || !(resolution.asNumber().equals("1") || resolution.asNumber().equals("60")))) {
            problems.add(where + ".StorageResolution is neither 1 nor 60");
        }
    }

    private static void onlyMembers(Map<String, JsonNode> object, Set<String> allowed, String where,
            List<String> problems) {
        for (String member : object.keySet()) {
            if (!allowed.contains(member)) {
                problems.add(where + " has the member '" + member + "', which the specification does not define");
            }
        }
    }

    private static boolean isAsciiText(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength || text.isBlank()) {
            return false;
        }
        return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
