package dev.rotation.shared;

import java.util.Objects;

/**
 * The alternating-users naming rule, as the reference functions apply it: the two users are
 * {@code name} and {@code name_clone}, and each rotation switches to the other one. The rule is
 * symmetric, so the secret may start with either name.
 *
 * <pre>{@code
 * AlternateUsername.of("app")        // "app_clone"
 * AlternateUsername.of("app_clone")  // "app"
 * AlternateUsername.baseOf("app_clone") // "app": the name without the suffix, whichever is current
 * }</pre>
 */
public final class AlternateUsername {
    /** Appended to the base name to form the second user's name. */
    public static final String SUFFIX = "_clone";

    private AlternateUsername() {
    }

    /** The other user's name: {@code username} without {@link #SUFFIX} if it ends with it, else with it appended. */
    public static String of(String username) {
        Objects.requireNonNull(username, "username");
        if (isClone(username)) {
            return baseOf(username);
        }
        return username + SUFFIX;
    }

    /** Whether {@code username} is the second user's name (ends with {@link #SUFFIX} after at least one character). */
    public static boolean isClone(String username) {
        return username.length() > SUFFIX.length() && username.endsWith(SUFFIX);
    }

    /** The base name of the pair: {@code username} without {@link #SUFFIX}, or {@code username} itself. */
    public static String baseOf(String username) {
        return isClone(username) ? username.substring(0, username.length() - SUFFIX.length()) : username;
    }

    /** The second user's name of the pair {@code username} belongs to. */
    public static String cloneOf(String username) {
        return baseOf(username) + SUFFIX;
    }
}
