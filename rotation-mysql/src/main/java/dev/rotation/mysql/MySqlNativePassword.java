package dev.rotation.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code mysql_native_password}: the hash the server stores, {@code *} and the upper-case hex of
 * SHA1(SHA1(password)), computed here so that the password itself never reaches the server. MariaDB
 * writes statements to its general query log (and slow log, audit plugins) as sent, password
 * literals included; with the hash, what it logs is what {@code mysql.user} already holds.
 *
 * <p>Other plugins need the password itself (MySQL's caching_sha2_password and sha256_password,
 * MariaDB's ed25519 and parsec hash it on the server); the account's plugin is read from the
 * identification clause that {@code SHOW GRANTS} (MariaDB, MySQL before 5.7) or
 * {@code SHOW CREATE USER} (MySQL 5.7+) prints. Pure text work: the queries are in
 * {@link MySqlEngine} and {@link MySqlUserAdmin}.
 */
final class MySqlNativePassword {
    /**
     * After {@code IDENTIFIED}: a native hash as the only method. MariaDB prints {@code BY PASSWORD '*...'}
     * (or {@code VIA mysql_native_password USING '*...'}, where {@code OR} would add another method),
     * MySQL {@code WITH 'mysql_native_password' AS '*...'} (where {@code AND} would add a factor).
     */
    private static final Pattern NATIVE_ONLY = Pattern.compile("(?is)\\s*(?:BY\\s+PASSWORD"
            + "|VIA\\s+`?mysql_native_password`?\\s+(?:USING|AS)|WITH\\s+'?mysql_native_password'?\\s+AS)"
            + "\\s+'\\*[0-9A-F]{40}'(?:\\s++(?!OR\\b|AND\\b).*)?\\s*");

    private MySqlNativePassword() {
    }

    /** {@code *} + upper-case hex of SHA1(SHA1(UTF-8 bytes)), as PASSWORD() computes it for a utf8mb4 session. */
    static String hash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * Whether the lines of {@code SHOW GRANTS} or {@code SHOW CREATE USER} say that the account
     * logs in with mysql_native_password and nothing else. False when unsure (no identification
     * clause, another plugin, several methods): the caller then sends the password itself.
     */
    static boolean isOnlyMethod(List<String> lines) {
        for (String line : lines) {
            int identified = MySqlGrants.topLevelKeyword(line, "IDENTIFIED", 0);
            if (identified >= 0) {
                String rest = line.substring(identified + "IDENTIFIED".length());
                return MySqlGrants.topLevelKeyword(rest, "IDENTIFIED", 0) < 0 && NATIVE_ONLY.matcher(rest).matches();
            }
        }
        return false;
    }
}
