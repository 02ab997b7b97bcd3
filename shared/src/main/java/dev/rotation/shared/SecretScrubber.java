package dev.rotation.shared;

import dev.rotation.secret.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
    /**
     * The statement excerpt a MySQL or MariaDB syntax error quotes ({@code ... near '<up to 80
     * characters of the statement>' at line 1}): it may hold a cut-off password, which no
     * known-value match would catch.
     */
    private static final Pattern SQL_EXCERPT = Pattern.compile("(?s) near '.*' at line (\\d+)");
    /** The same excerpt where the message has no "at line" after it (cut off, or another server's words). */
    private static final Pattern SQL_EXCERPT_TO_END = Pattern.compile("(?s) near '.*$");
    /** {@code "password": "..."} in JSON text. */
    private static final Pattern PASSWORD_FIELD = Pattern.compile("(?i)(\"password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private final Set<String> secrets = new LinkedHashSet<>();

    /** Fewer characters than this of a base64 form are not removed: too likely to occur by chance. */
    static final int MIN_BASE64_FRAGMENT = 8;

    /**
     * Remembers a secret value, with the forms it takes in other text: escaped for JSON (the usual
     * escapes, {@code \/}, and every non-alphanumeric character as a {@code \}{@code uXXXX} escape
     * in either case), quoted for SQL, backslash-escaped, URL-encoded (form and path style, either hex
     * case), and base64 (standard and URL-safe alphabets; whole, and the part of it that is the same
     * wherever the value sits in a longer encoded text, such as {@code user:password} in a Basic
     * authorization header). A fragment of a value (split across lines, truncated) is not recognised.
     */
    synchronized void add(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        secrets.add(secret);
        String json = jsonEscaped(secret);
        secrets.add(json);
        secrets.add(json.replace("/", "\\/"));
        secrets.add(unicodeEscaped(secret, false));
        secrets.add(unicodeEscaped(secret, true));
        secrets.add(secret.replace("'", "''"));
        secrets.add(secret.replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\""));
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        for (String encoded : List.of(form, form.replace("+", "%20"))) {
            secrets.add(encoded);
            secrets.add(lowerCaseHex(encoded));
        }
        addBase64Forms(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The base64 text of the value on its own (with and without padding), and for each of the three
     * positions a value can start at within a longer encoded text, the characters that depend on the
     * value's bytes only.
     */
    private void addBase64Forms(byte[] value) {
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String whole = encoder.encodeToString(value);
            if (whole.length() >= MIN_BASE64_FRAGMENT) {
                secrets.add(whole);
                secrets.add(whole.replace("=", ""));
            }
            for (int offset = 0; offset < 3; offset++) {
                byte[] shifted = new byte[offset + value.length];
                System.arraycopy(value, 0, shifted, offset, value.length);
                String encoded = encoder.withoutPadding().encodeToString(shifted);
                int first = (8 * offset + 5) / 6;
                int end = 8 * (offset + value.length) / 6;
                if (end - first >= MIN_BASE64_FRAGMENT) {
                    secrets.add(encoded.substring(first, end));
                }
            }
        }
    }

    private static String lowerCaseHex(String urlEncoded) {
        StringBuilder out = new StringBuilder(urlEncoded);
        for (int i = out.indexOf("%"); i >= 0 && i + 2 < out.length(); i = out.indexOf("%", i + 3)) {
            out.setCharAt(i + 1, Character.toLowerCase(out.charAt(i + 1)));
            out.setCharAt(i + 2, Character.toLowerCase(out.charAt(i + 2)));
        }
        return out.toString();
    }

    /** Every character but ASCII letters and digits as a backslash-u escape (what some JSON writers emit). */
    private static String unicodeEscaped(String value, boolean upperCase) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                String hex = String.format(upperCase ? "%04X" : "%04x", (int) c);
                out.append("\\u").append(hex);
            }
        }
        return out.toString();
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
        String excerptless = SQL_EXCERPT.matcher(result).replaceAll(" near " + REDACTED + " at line $1");
        result = excerptless.equals(result) ? SQL_EXCERPT_TO_END.matcher(result).replaceAll(" near " + REDACTED)
                : excerptless;
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

    /** The value inside a JSON string literal, as the SDK's writer escapes it. */
    private static String jsonEscaped(String value) {
        String quoted = Json.quote(value);
        return quoted.substring(1, quoted.length() - 1);
    }

    /**
     * A copy of an SQL exception with scrubbed messages that is still an {@link SQLException} with
     * the same SQLState and vendor code, and whose SQL-exception causes are SQL exceptions too
     * (engines classify failures by walking them); other causes become scrubbed stand-ins.
     */
    java.sql.SQLException scrubSql(java.sql.SQLException failure) {
        return copySql(failure, 0);
    }

    private java.sql.SQLException copySql(java.sql.SQLException failure, int depth) {
        Throwable original = failure.getCause();
        Throwable cause = original == null || original == failure || depth > 20 ? null
                : original instanceof java.sql.SQLException sql ? copySql(sql, depth + 1) : copy(original, depth + 1);
        java.sql.SQLException copy = new java.sql.SQLException(printable(scrub(failure.getMessage())),
                failure.getSQLState(), failure.getErrorCode(), cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
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
