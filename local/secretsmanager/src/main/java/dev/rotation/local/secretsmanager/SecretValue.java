package dev.rotation.local.secretsmanager;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The value of one secret version: either a string or binary bytes. Immutable; {@code toString()}
 * never shows the value.
 */
final class SecretValue {
    static final int MAX_BYTES = 65_536;

    private final String string;
    private final byte[] binary;

    private SecretValue(String string, byte[] binary) {
        this.string = string;
        this.binary = binary;
    }

    static SecretValue ofString(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            // SecretString: "Length Constraints: Minimum length of 1."
            throw ServiceException.invalidParameter("SecretString must not be empty.");
        }
        int size = value.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BYTES) {
            throw ServiceException.invalidParameter(
                    "SecretString is " + size + " bytes; the maximum is " + MAX_BYTES + " bytes.");
        }
        return new SecretValue(value, null);
    }

    static SecretValue ofBinary(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_BYTES) {
            throw ServiceException.invalidParameter(
                    "SecretBinary is " + value.length + " bytes; the maximum is " + MAX_BYTES + " bytes.");
        }
        if (value.length == 0) {
            throw ServiceException.invalidParameter("SecretBinary must not be empty.");
        }
        return new SecretValue(null, value.clone());
    }

    boolean isString() {
        return string != null;
    }

    String string() {
        return string;
    }

    byte[] binary() {
        return binary == null ? null : binary.clone();
    }

    /** Serialised form for encryption: a type byte, then the value's bytes. */
    byte[] toBytes() {
        byte[] body = isString() ? string.getBytes(StandardCharsets.UTF_8) : binary;
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) (isString() ? 'S' : 'B');
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    static SecretValue fromBytes(byte[] bytes) {
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        if (bytes[0] == 'S') {
            return new SecretValue(new String(body, StandardCharsets.UTF_8), null);
        }
        return new SecretValue(null, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other
                && Objects.equals(string, other.string)
                && Arrays.equals(binary, other.binary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(string, Arrays.hashCode(binary));
    }

    @Override
    public String toString() {
        return isString() ? "SecretValue[string, redacted]" : "SecretValue[binary, redacted]";
    }
}
