package dev.rotation.testkit;

import dev.rotation.secret.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the small JSON objects the contract tests store as secrets, including deliberately broken ones. */
public final class TestJson {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private TestJson() {
    }

    public static TestJson object() {
        return new TestJson();
    }

    /** Adds a key; a String value is quoted and escaped, anything else is written as raw JSON. */
    public TestJson put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public TestJson without(String key) {
        fields.remove(key);
        return this;
    }

    public TestJson copy() {
        TestJson copy = new TestJson();
        copy.fields.putAll(fields);
        return copy;
    }

    /** Marks a value to be written verbatim, e.g. {@code raw("{\"nested\":[1,\"two\"]}")}. */
    public static Object raw(String json) {
        return new Raw(json);
    }

    public String write() {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(key)).append(':');
            out.append(value instanceof String text ? quote(text) : String.valueOf(value));
        });
        return out.append('}').toString();
    }

    public static String quote(String text) {
        return Json.quote(text);
    }

    private record Raw(String json) {
        @Override
        public String toString() {
            return json;
        }
    }
}
