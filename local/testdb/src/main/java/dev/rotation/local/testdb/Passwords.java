package dev.rotation.local.testdb;

import java.security.SecureRandom;

/** Random administrator passwords and name suffixes. Letters and digits only, so they never need quoting. */
final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Passwords() {
    }

    static String random(int length) {
        return pick(ALPHANUMERIC, length);
    }

    static String suffix(int length) {
        return pick(LOWER, length);
    }

    static String hex(int length) {
        return pick("0123456789abcdef", length);
    }

    private static String pick(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
