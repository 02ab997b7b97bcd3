package dev.rotation.local.secretsmanager;

import java.util.List;
import java.util.regex.Pattern;

/** Input limits of the service, checked before anything changes. */
final class Validation {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    /** Names services give the secrets they manage also have a '!' (rds!db-...), which users' names can't. */
    private static final Pattern MANAGED_NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{32,64}");
    static final int MAX_LABELS_PER_VERSION = 20;
    static final int MAX_LABELS_PER_SECRET = 20;

    private Validation() {
    }

    static void name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ServiceException.invalidParameter("Invalid name '" + printable(name)
                    + "'. A secret name has 1 to 512 characters: letters, digits and /_+=.@-");
        }
    }

    static void managedName(String name) {
        if (!MANAGED_NAME.matcher(name).matches()) {
            throw ServiceException.invalidParameter("Invalid name '" + printable(name)
                    + "'. A managed secret's name has 1 to 512 characters: letters, digits and /_+=.@!-");
        }
    }

    static void secretId(String id) {
        if (id.isEmpty() || id.length() > 2048) {
            throw ServiceException.invalidParameter("SecretId must have 1 to 2048 characters, got " + id.length() + ".");
        }
    }

    static void token(String token, String what) {
        if (!TOKEN.matcher(token).matches()) {
            throw ServiceException.invalidParameter(what + " must have 32 to 64 printable characters without spaces, got "
                    + token.length() + " characters.");
        }
    }

    static void versionId(String id) {
        token(id, "VersionId");
    }

    static void stage(String stage) {
        if (stage.isEmpty() || stage.length() > 256) {
            throw ServiceException.invalidParameter("A staging label has 1 to 256 characters, got " + stage.length() + ".");
        }
    }

    static void stages(List<String> stages) {
        if (stages.isEmpty() || stages.size() > MAX_LABELS_PER_VERSION) {
            throw ServiceException.invalidParameter("VersionStages must list 1 to " + MAX_LABELS_PER_VERSION
                    + " staging labels, got " + stages.size() + ".");
        }
        stages.forEach(Validation::stage);
    }

    static void maxLength(String value, int max, String what) {
        if (value != null && value.length() > max) {
            throw ServiceException.invalidParameter(what + " must have at most " + max + " characters, got "
                    + value.length() + ".");
        }
    }

    /** A user-supplied, non-secret string made safe to echo in one line: no control characters, bounded. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        if (b.length() < s.length()) {
            b.append("...");
        }
        return b.toString();
    }
}
