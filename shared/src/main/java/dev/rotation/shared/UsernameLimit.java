package dev.rotation.shared;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The longest user name a server accepts, in characters (MySQL, MariaDB) or in UTF-8 bytes
 * (PostgreSQL, which would silently truncate a longer name and then act on another role).
 * Alternating users check the name they switch to against it before anything is written.
 */
public final class UsernameLimit {
    private final int max;
    private final boolean bytes;
    private final String origin;

    private UsernameLimit(int max, boolean bytes, String origin) {
        if (max < 1) {
            throw new IllegalArgumentException("a user name limit must be at least 1");
        }
        this.max = max;
        this.bytes = bytes;
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** At most {@code max} characters; {@code origin} says where the limit comes from, for the error. */
    public static UsernameLimit characters(int max, String origin) {
        return new UsernameLimit(max, false, origin);
    }

    /** At most {@code max} bytes in UTF-8. */
    public static UsernameLimit utf8Bytes(int max, String origin) {
        return new UsernameLimit(max, true, origin);
    }

    /**
     * At most the number of characters the environment variable {@code variable} gives (a whole
     * number from 1 to {@code upTo}), else {@code defaultMax}.
     *
     * @throws RotationException naming the variable when its value is not such a number
     */
    public static UsernameLimit charactersFromEnvironment(Map<String, String> environment, String variable,
            int defaultMax, int upTo, String origin) {
        EnvironmentVariables env = new EnvironmentVariables(environment);
        boolean set = env.get(variable).isPresent();
        int max = env.integer(variable, defaultMax, 1, upTo);
        return new UsernameLimit(max, false, set ? variable + "=" + max : origin + " (set " + variable + " to change)");
    }

    public int max() {
        return max;
    }

    /** The length of {@code username} as this limit counts it. */
    public int lengthOf(String username) {
        return bytes ? username.getBytes(StandardCharsets.UTF_8).length : username.codePointCount(0, username.length());
    }

    /**
     * @throws RotationException when {@code username} is longer than the limit, naming the name, its
     *     length and the limit (user names are not secret)
     */
    public void check(String username) {
        int length = lengthOf(username);
        if (length > max) {
            String unit = bytes ? " bytes" : " characters";
            throw new RotationException("the alternate user name '" + username + "' would be " + length + unit
                    + " long, more than the " + max + unit + " allowed (" + origin + "); use a shorter user name");
        }
    }

    @Override
    public String toString() {
        return max + (bytes ? " UTF-8 bytes" : " characters") + " (" + origin + ")";
    }
}
