package dev.rotation.shared.contract.alternating;

import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the small JSON objects the tests store as secrets. */
final class AltJson {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private AltJson() {
    }

    static AltJson object() {
        return new AltJson();
    }

    /** Adds a key; a String value is quoted and escaped, anything else is written as raw JSON. */
    AltJson put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    AltJson without(String key) {
        fields.remove(key);
        return this;
    }

    static Object raw(String json) {
        return new Raw(json);
    }

    String write() {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(key)).append(':').append(value instanceof String text ? quote(text) : String.valueOf(value));
        });
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private record Raw(String json) {
        @Override
        public String toString() {
            return json;
        }
    }
}
