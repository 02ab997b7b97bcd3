package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a request's JSON members. A member of the wrong JSON type is a
 * SerializationException naming the member (never echoing its value); a missing required member
 * is an InvalidParameterException.
 */
final class Params {
    private final JsonNode body;

    Params(JsonNode body) {
        this.body = body;
    }

    private JsonNode node(String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    /** True when the member is present and not null. */
    boolean has(String field) {
        return node(field) != null;
    }

    String string(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string");
        }
        return n.textValue();
    }

    String requiredString(String field) {
        String s = string(field);
        if (s == null) {
            throw ServiceException.invalidParameter("The request is missing the required parameter " + field + ".");
        }
        return s;
    }

    Boolean bool(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return n.booleanValue();
    }

    Long integer(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        return n.longValue();
    }

    Integer smallInteger(String field) {
        Long v = integer(field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ServiceException.invalidParameter(field + " is out of range.");
        }
        return v.intValue();
    }

    byte[] blob(String field) {
        String s = string(field);
        if (s == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw ServiceException.serialization("Parameter " + field + " must be base64-encoded binary data.");
        }
    }

    List<String> stringList(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw wrongType(field, "a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw wrongType(field, "a list of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    Params object(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(field, "a structure");
        }
        return new Params(n);
    }

    List<Params> objectList(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw wrongType(field, "a list of structures");
        }
        List<Params> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw wrongType(field, "a list of structures");
            }
            out.add(new Params(e));
        }
        return out;
    }

    /** Tags as [{"Key": ..., "Value": ...}], in order; a repeated key keeps the last value. */
    Map<String, String> tags(String field) {
        List<Params> list = objectList(field);
        if (list == null) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Params t : list) {
            String key = t.string("Key");
            if (key == null) {
                throw ServiceException.invalidParameter("Every tag in " + field + " needs a Key.");
            }
            String value = t.string("Value");
            tags.put(key, value == null ? "" : value);
        }
        return tags;
    }

    private static ServiceException wrongType(String field, String expected) {
        return ServiceException.serialization("Parameter " + field + " must be " + expected + ".");
    }
}
