package dev.rotation.shared;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes known secret values (passwords, secret strings) and credentials in URLs from text and
 * from exceptions, before anything is logged or thrown out of the handler. Drivers and the SDK
 * build their own messages, so the protocol cannot promise they hold no secret; this is the one
 * place that makes sure (like Vault's error-sanitizing decorator).
 */
final class SecretScrubber {
    static final String REDACTED = "<redacted>";
    /**
     * A scheme starts only where no scheme character precedes it and is at most 40 characters long:
     * unanchored, {@code [a-z][a-z0-9+.-]*://} backtracks over every suffix of a long word, which
     * made scrubbing quadratic (a minute per log line for a 60,000-character user name).
     */
    private static final Pattern URL_CREDENTIALS =
            Pattern.compile("(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,39}://)[^/@\\s]+@");
    /** {@code password=...} in URLs and connection strings. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)\\b((?:password|pwd|passwd)=)[^\\s&;,]+");
    /** {@code "password": "..."} in JSON text. */
    private static final Pattern PASSWORD_FIELD = Pattern.compile("(?i)(\"password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private final Set<String> secrets = new LinkedHashSet<>();

    /** Remembers a secret value, with the escaped forms it takes in JSON and SQL text. */
    synchronized void add(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        secrets.add(secret);
        secrets.add(jsonEscaped(secret));
        secrets.add(secret.replace("'", "''"));
        secrets.add(secret.replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\""));
    }

    /** The text with every known secret value and every URL credential replaced by {@value #REDACTED}. */
    String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : sortedSecrets()) {
            result = result.replace(secret, REDACTED);
        }
        result = URL_CREDENTIALS.matcher(result).replaceAll("$1" + REDACTED + "@");
        result = PASSWORD_FIELD.matcher(result).replaceAll("$1\"" + REDACTED + "\"");
        return PASSWORD_PARAMETER.matcher(result).replaceAll("$1" + REDACTED);
    }

    /** Longest first, so a secret containing another is replaced whole. */
    private synchronized List<String> sortedSecrets() {
        List<String> sorted = new ArrayList<>(secrets);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return sorted;
    }

    /**
     * A copy of {@code failure} and its causes and suppressed exceptions with scrubbed messages and
     * the original stack traces; the original class name is kept in {@code toString()}.
     */
    Throwable scrub(Throwable failure) {
        return failure == null ? null : copy(failure, 0);
    }

    private Throwable copy(Throwable failure, int depth) {
        Throwable cause = failure.getCause() == null || failure.getCause() == failure || depth > 20
                ? null : copy(failure.getCause(), depth + 1);
        Scrubbed copy = new Scrubbed(failure.getClass().getName(), printable(scrub(failure.getMessage())), cause);
        copy.setStackTrace(failure.getStackTrace());
        for (Throwable suppressed : failure.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, depth + 1));
        }
        return copy;
    }

    /**
     * The text with every control character and Unicode line or paragraph separator written as a
     * {@code \\uXXXX} escape: error messages quote user names, hosts and database names from the
     * secret, and a line break in them must not become a forged line wherever the message is logged.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A scrubbed stand-in for an exception from a driver or the SDK. */
    static final class Scrubbed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String originalClass;

        Scrubbed(String originalClass, String message, Throwable cause) {
            super(message, cause, true, true);
            this.originalClass = originalClass;
        }

        /** The class of the exception this stands in for. */
        String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            return getMessage() == null ? originalClass : originalClass + ": " + getMessage();
        }
    }
}
