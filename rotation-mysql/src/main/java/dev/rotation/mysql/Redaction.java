package dev.rotation.mysql;

/** Removes a password from server and driver messages before they travel any further. */
final class Redaction {

    static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    /**
     * {@code message} without {@code password}, without the forms Connector/J escapes it into inside
     * a string literal, and without the statement excerpt a syntax error quotes after {@code near '}.
     */
    static String scrub(String message, String password) {
        if (message == null) {
            return "(no message)";
        }
        String scrubbed = message;
        int near = scrubbed.indexOf(" near '");
        if (near >= 0) {
            scrubbed = scrubbed.substring(0, near) + " near " + REDACTED;
        }
        if (password != null && !password.isEmpty()) {
            scrubbed = scrubbed
                    .replace(password, REDACTED)
                    .replace(backslashEscaped(password), REDACTED)
                    .replace(password.replace("'", "''"), REDACTED);
        }
        return scrubbed;
    }

    private static String backslashEscaped(String password) {
        StringBuilder out = new StringBuilder(password.length() + 8);
        for (char c : password.toCharArray()) {
            switch (c) {
                case '\\', '\'', '"' -> out.append('\\').append(c);
                case '\0' -> out.append("\\0");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\u001a' -> out.append("\\Z");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
