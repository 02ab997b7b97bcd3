package dev.rotation.local.secretsmanager;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** GetRandomPassword: character classes, exclusions and RequireEachIncludedType as the service has them. */
final class PasswordGenerator {
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String DIGITS = "0123456789";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** The request's options; null means the service's default. */
    record Options(Long length, String excludeCharacters, Boolean excludeNumbers, Boolean excludePunctuation,
                   Boolean excludeUppercase, Boolean excludeLowercase, Boolean includeSpace,
                   Boolean requireEachIncludedType) {
    }

    private final SecureRandom random = new SecureRandom();

    String generate(Options o) {
        long length = o.length() == null ? 32 : o.length();
        if (length < 1 || length > 4096) {
            throw ServiceException.invalidParameter("PasswordLength must be between 1 and 4096, got " + length + ".");
        }
        String exclude = o.excludeCharacters() == null ? "" : o.excludeCharacters();
        if (exclude.length() > 4096) {
            throw ServiceException.invalidParameter("ExcludeCharacters must have at most 4096 characters.");
        }
        List<String> classes = new ArrayList<>();
        addClass(classes, LOWER, o.excludeLowercase(), exclude);
        addClass(classes, UPPER, o.excludeUppercase(), exclude);
        addClass(classes, DIGITS, o.excludeNumbers(), exclude);
        addClass(classes, PUNCTUATION, o.excludePunctuation(), exclude);
        if (Boolean.TRUE.equals(o.includeSpace())) {
            addClass(classes, " ", false, exclude);
        }
        if (classes.isEmpty()) {
            throw ServiceException.invalidParameter("The password options exclude every character; nothing is left "
                    + "to build a password from.");
        }
        boolean requireEach = o.requireEachIncludedType() == null || o.requireEachIncludedType();
        if (requireEach && length < classes.size()) {
            throw ServiceException.invalidParameter("PasswordLength " + length + " is too short to include each of the "
                    + classes.size() + " included character types.");
        }
        String all = String.join("", classes);
        List<Character> chars = new ArrayList<>();
        if (requireEach) {
            for (String c : classes) {
                chars.add(c.charAt(random.nextInt(c.length())));
            }
        }
        while (chars.size() < length) {
            chars.add(all.charAt(random.nextInt(all.length())));
        }
        Collections.shuffle(chars, random);
        StringBuilder b = new StringBuilder(chars.size());
        chars.forEach(b::append);
        return b.toString();
    }

    private static void addClass(List<String> classes, String chars, Boolean excluded, String exclude) {
        if (Boolean.TRUE.equals(excluded)) {
            return;
        }
        StringBuilder left = new StringBuilder();
        for (char ch : chars.toCharArray()) {
            if (exclude.indexOf(ch) < 0) {
                left.append(ch);
            }
        }
        if (left.length() > 0) {
            classes.add(left.toString());
        }
    }
}
