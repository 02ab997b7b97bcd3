package dev.rotation.secret;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/**
 * JSON through the AWS SDK's own small parser and writer (already on the class path for the SDK's
 * protocol, so no Jackson databind start-up cost). Error messages never quote the input: it may be
 * a secret.
 */
public final class Json {
    private static final JsonNodeParser PARSER = JsonNode.parserBuilder().removeErrorLocations(true).build();

    private Json() {
    }

    /**
     * Parses {@code text} as one JSON object, rejecting trailing content and duplicate keys.
     *
     * @return the object, or empty when {@code text} is not valid JSON or not an object
     * @throws IllegalArgumentException naming the problem (never quoting the text)
     */
    public static Map<String, JsonNode> parseObject(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        checkWellFormed(text, what);
        JsonNode node;
        try {
            node = PARSER.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return node.asObject();
    }

    /**
     * The SDK parser reads only the first value and silently keeps the last of duplicate keys; a
     * streaming pass catches both, so a half-pasted or ambiguous secret is refused, not guessed at.
     */
    private static void checkWellFormed(String text, String what) {
        try (JsonParser parser = JsonNodeParser.DEFAULT_JSON_FACTORY.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            while (parser.nextToken() != null) {
                // Walk every token: duplicate keys and syntax errors surface as exceptions.
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            String problem = e.getClass().getSimpleName().contains("Duplicate")
                    || String.valueOf(e.getMessage()).startsWith("Duplicate field")
                    ? " has a duplicate key"
                    : " is not valid JSON";
            throw new IllegalArgumentException(what + problem);
        }
        try (JsonParser parser = JsonNodeParser.DEFAULT_JSON_FACTORY.createParser(text)) {
            parser.nextToken();
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException(what + " has content after the JSON object");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " is not valid JSON");
        }
    }

    /**
     * {@code text} as a JSON string literal, quotes included, escaped as the SDK's writer (Jackson) escapes
     * it: {@code \"}, {@code \\}, the named control escapes and {@code \}{@code u00XX} for the others.
     */
    public static String quote(String text) {
        try (JsonWriter writer = JsonWriter.create()) {
            writer.writeValue(text);
            return new String(writer.getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes an object whose values are {@link JsonNode}s, Strings, Numbers, Booleans or null. */
    public static String write(Map<String, ?> object) {
        try (JsonWriter writer = JsonWriter.create()) {
            writer.writeStartObject();
            for (Map.Entry<String, ?> field : object.entrySet()) {
                writer.writeFieldName(field.getKey());
                writeValue(writer, field.getValue());
            }
            writer.writeEndObject();
            return new String(writer.getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void writeValue(JsonWriter writer, Object value) {
        if (value == null) {
            writer.writeNull();
        } else if (value instanceof JsonNode node) {
            writeNode(writer, node);
        } else if (value instanceof String s) {
            writer.writeValue(s);
        } else if (value instanceof Boolean b) {
            writer.writeValue(b);
        } else if (value instanceof Integer || value instanceof Long) {
            writer.writeValue(((Number) value).longValue());
        } else {
            writer.writeValue(String.valueOf(value));
        }
    }

    private static void writeNode(JsonWriter writer, JsonNode node) {
        if (node.isNull()) {
            writer.writeNull();
        } else if (node.isString()) {
            writer.writeValue(node.asString());
        } else if (node.isNumber()) {
            // The number's original text, so 3306, 3306.0 and 1e3 come back exactly as they were.
            writer.writeNumber(node.asNumber());
        } else if (node.isBoolean()) {
            writer.writeValue(node.asBoolean());
        } else if (node.isArray()) {
            writer.writeStartArray();
            for (JsonNode element : node.asArray()) {
                writeNode(writer, element);
            }
            writer.writeEndArray();
        } else if (node.isObject()) {
            writer.writeStartObject();
            for (Map.Entry<String, JsonNode> field : node.asObject().entrySet()) {
                writer.writeFieldName(field.getKey());
                writeNode(writer, field.getValue());
            }
            writer.writeEndObject();
        } else {
            writer.writeValue(String.valueOf(node.text()));
        }
    }

    /** The string value of {@code key}, if present and a string. */
    public static Optional<String> string(Map<String, JsonNode> object, String key) {
        JsonNode node = object.get(key);
        return node != null && node.isString() ? Optional.of(node.asString()) : Optional.empty();
    }
}
