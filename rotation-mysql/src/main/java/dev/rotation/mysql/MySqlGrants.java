package dev.rotation.mysql;

import dev.rotation.shared.RotationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What {@code SHOW GRANTS FOR 'user'@'host'} says an account holds, and the changes that make one
 * account hold what another holds. Pure text work: {@link MySqlUserAdmin} runs the queries and turns
 * {@link Change}s into statements.
 *
 * <p>Object names, privilege names and role names are kept exactly as the server printed them, so
 * they are correctly quoted when written back and two accounts on the same server compare equal.
 * Column privileges are split per column ({@code SELECT (`a`, `b`)} becomes {@code SELECT (`a`)} and
 * {@code SELECT (`b`)}), so a diff can add or take away one column. The rest of a line after the
 * grantee ({@code IDENTIFIED BY PASSWORD '<hash>'}, {@code REQUIRE ...}, resource limits) is never
 * kept: only {@code WITH GRANT OPTION} / {@code WITH ADMIN OPTION} are read from it.
 */
final class MySqlGrants {
    /** How the server writes "every privilege on this level". */
    static final String ALL = "ALL PRIVILEGES";

    /** Per object (for example {@code `app`.*}, {@code *.*}, {@code PROCEDURE `db`.`p`}): its privileges. */
    private final Map<String, ObjectGrant> objects;
    /** Granted roles (MySQL 8, MariaDB 10.0.5+), as printed, with whether WITH ADMIN OPTION is set. */
    private final Map<String, Boolean> roles;
    /** MariaDB's {@code SET DEFAULT ROLE <role> FOR ...} line, when present. */
    private final String defaultRole;

    private MySqlGrants(Map<String, ObjectGrant> objects, Map<String, Boolean> roles, String defaultRole) {
        this.objects = objects;
        this.roles = roles;
        this.defaultRole = defaultRole;
    }

    /** The privileges on one object, and whether they come WITH GRANT OPTION. */
    record ObjectGrant(Set<String> privileges, boolean grantOption) {
        boolean all() {
            return privileges.contains(ALL);
        }
    }

    /** One step towards the source's grants; rendered as SQL by {@link MySqlUserAdmin}. */
    sealed interface Change {
    }

    /** {@code GRANT <privileges> ON <object> TO target}. */
    record GrantPrivileges(List<String> privileges, String object) implements Change {
    }

    /** {@code REVOKE <privileges> ON <object> FROM target}. */
    record RevokePrivileges(List<String> privileges, String object) implements Change {
    }

    /** {@code GRANT <privilege> ON <object> TO target WITH GRANT OPTION}, with a privilege the source has there. */
    record GrantOption(String privilege, String object) implements Change {
    }

    /** {@code REVOKE GRANT OPTION ON <object> FROM target}. */
    record RevokeGrantOption(String object) implements Change {
    }

    /** {@code GRANT <role> TO target [WITH ADMIN OPTION]}. */
    record GrantRole(String role, boolean adminOption) implements Change {
    }

    /** {@code REVOKE <role> FROM target}. */
    record RevokeRole(String role) implements Change {
    }

    /** MariaDB: {@code SET DEFAULT ROLE <role or NONE> FOR target}. */
    record SetDefaultRole(Optional<String> role) implements Change {
    }

    /**
     * Parses the rows of {@code SHOW GRANTS} for {@code account} (for error messages). A line it does
     * not understand fails the whole parse: copying the rest would give the other user grants that
     * differ from the current user's, for example a MySQL 8 global grant without the partial
     * {@code REVOKE ... ON mysql.*} that limits it.
     *
     * @throws RotationException naming the account and the line's leading keywords (never the whole
     *     line: MariaDB prints the password hash in it)
     */
    static MySqlGrants parse(List<String> lines, String account) {
        Map<String, ObjectGrant> objects = new LinkedHashMap<>();
        Map<String, Boolean> roles = new LinkedHashMap<>();
        String defaultRole = null;
        for (String raw : lines) {
            String line = raw.strip();
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("SET DEFAULT ROLE ")) {
                int forAt = topLevelKeyword(line, "FOR", 0);
                if (forAt < 0) {
                    throw notUnderstood(line, account);
                }
                defaultRole = line.substring("SET DEFAULT ROLE ".length(), forAt).strip();
                continue;
            }
            if (!upper.startsWith("GRANT ")) {
                throw notUnderstood(line, account);
            }
            int toAt = topLevelKeyword(line, "TO", 6);
            if (toAt < 0) {
                throw notUnderstood(line, account);
            }
            String head = line.substring(6, toAt).strip();
            String tail = line.substring(toAt + 2);
            int onAt = topLevelKeyword(head, "ON", 0);
            if (onAt < 0) {
                boolean admin = topLevelKeyword(tail, "WITH ADMIN OPTION", 0) >= 0;
                for (String role : splitTopLevel(head)) {
                    roles.merge(role, admin, Boolean::logicalOr);
                }
                continue;
            }
            String object = head.substring(onAt + 2).strip();
            Set<String> privileges = new LinkedHashSet<>();
            for (String item : splitTopLevel(head.substring(0, onAt))) {
                privileges.addAll(privilegesOf(item));
            }
            boolean grantOption = topLevelKeyword(tail, "WITH GRANT OPTION", 0) >= 0;
            objects.merge(object, new ObjectGrant(privileges, grantOption), (a, b) -> {
                Set<String> union = new LinkedHashSet<>(a.privileges());
                union.addAll(b.privileges());
                return new ObjectGrant(union, a.grantOption() || b.grantOption());
            });
        }
        return new MySqlGrants(objects, roles, defaultRole);
    }

    private static RotationException notUnderstood(String line, String account) {
        String kind = leadingKeywords(line);
        String hint = kind.toUpperCase(Locale.ROOT).startsWith("REVOKE")
                ? " (a partial revoke, from partial_revokes=ON: the function cannot copy it exactly)" : "";
        return new RotationException("SHOW GRANTS for " + account + " has a line starting with '" + kind
                + "' that the function does not understand" + hint + "; no privilege was changed");
    }

    /** Up to the first three words of a line made of letters, digits and underscores only: no names, no hash. */
    static String leadingKeywords(String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.strip().split("\\s+", 4)) {
            if (words.size() == 3 || !word.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                break;
            }
            words.add(word);
        }
        return words.isEmpty() ? "(no keyword)" : String.join(" ", words);
    }

    /** One item of a privilege list: USAGE means nothing, ALL [PRIVILEGES] everything, columns are split. */
    private static List<String> privilegesOf(String item) {
        String text = item.strip().replaceAll("\\s+", " ");
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("USAGE")) {
            return List.of();
        }
        if (upper.equals("ALL") || upper.equals(ALL)) {
            return List.of(ALL);
        }
        int open = text.indexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            return List.of(upper);
        }
        String name = text.substring(0, open).strip().toUpperCase(Locale.ROOT);
        List<String> columns = splitTopLevel(text.substring(open + 1, text.length() - 1));
        List<String> perColumn = new ArrayList<>();
        for (String column : columns) {
            perColumn.add(name + " (" + column + ")");
        }
        return perColumn;
    }

    Map<String, ObjectGrant> objects() {
        return Collections.unmodifiableMap(objects);
    }

    Map<String, Boolean> roles() {
        return Collections.unmodifiableMap(roles);
    }

    Optional<String> defaultRole() {
        return Optional.ofNullable(defaultRole);
    }

    /**
     * The changes that give {@code target} exactly {@code source}'s grants: first everything it lacks,
     * then everything it has too much, so that it never holds less than both in between (except where
     * one side has ALL PRIVILEGES on an object and the other a part of them: then ALL is revoked first).
     */
    static List<Change> diff(MySqlGrants source, MySqlGrants target) {
        List<Change> additions = new ArrayList<>();
        List<Change> removals = new ArrayList<>();
        Set<String> objectNames = new LinkedHashSet<>(source.objects.keySet());
        objectNames.addAll(target.objects.keySet());
        ObjectGrant none = new ObjectGrant(Set.of(), false);
        for (String object : objectNames) {
            ObjectGrant want = source.objects.getOrDefault(object, none);
            ObjectGrant have = target.objects.getOrDefault(object, none);
            Set<String> haveNow = have.privileges();
            if (want.all()) {
                if (!have.all()) {
                    additions.add(new GrantPrivileges(List.of(ALL), object));
                }
            } else {
                if (have.all()) {
                    additions.add(new RevokePrivileges(List.of(ALL), object));
                    haveNow = Set.of();
                }
                List<String> missing = minus(want.privileges(), haveNow);
                if (!missing.isEmpty()) {
                    additions.add(new GrantPrivileges(missing, object));
                }
                List<String> extra = minus(haveNow, want.privileges());
                if (!extra.isEmpty()) {
                    removals.add(new RevokePrivileges(extra, object));
                }
            }
            if (want.grantOption() && !have.grantOption()) {
                String privilege = want.privileges().contains("PROXY") ? "PROXY" : "USAGE";
                additions.add(new GrantOption(privilege, object));
            } else if (!want.grantOption() && have.grantOption() && !want.privileges().isEmpty()) {
                removals.add(new RevokeGrantOption(object));
            }
        }
        for (Map.Entry<String, Boolean> role : source.roles.entrySet()) {
            Boolean had = target.roles.get(role.getKey());
            if (had == null || (role.getValue() && !had)) {
                additions.add(new GrantRole(role.getKey(), role.getValue()));
            } else if (!role.getValue() && had) {
                // No portable REVOKE ADMIN OPTION: take the role away and give it back without the option.
                additions.add(new RevokeRole(role.getKey()));
                additions.add(new GrantRole(role.getKey(), false));
            }
        }
        for (String role : target.roles.keySet()) {
            if (!source.roles.containsKey(role)) {
                removals.add(new RevokeRole(role));
            }
        }
        List<Change> changes = new ArrayList<>(additions);
        changes.addAll(removals);
        if (!source.defaultRole().equals(target.defaultRole())) {
            changes.add(new SetDefaultRole(source.defaultRole()));
        }
        return changes;
    }

    private static List<String> minus(Set<String> a, Set<String> b) {
        List<String> result = new ArrayList<>();
        for (String item : a) {
            if (!b.contains(item)) {
                result.add(item);
            }
        }
        return result;
    }

    /**
     * Where the keyword (case-insensitive, between spaces or at the ends) first occurs outside quotes,
     * backticks and parentheses, searching from {@code from}; -1 if nowhere.
     */
    static int topLevelKeyword(String text, String keyword, int from) {
        return scanTopLevel(text, i -> i >= from && text.regionMatches(true, i, keyword, 0, keyword.length())
                && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))
                && (i + keyword.length() == text.length() || Character.isWhitespace(text.charAt(i + keyword.length()))));
    }

    /** Splits at commas outside quotes, backticks and parentheses; items trimmed, empty ones dropped. */
    static List<String> splitTopLevel(String text) {
        List<String> items = new ArrayList<>();
        int[] start = {0};
        scanTopLevel(text, i -> {
            if (text.charAt(i) == ',') {
                add(items, text.substring(start[0], i));
                start[0] = i + 1;
            }
            return false;
        });
        add(items, text.substring(start[0]));
        return items;
    }

    /**
     * The one scanner both of the above use, so they agree on what "outside quotes, backticks and
     * parentheses" means: offers {@code stop} the index of every character at nesting depth 0 that is
     * neither inside nor opening a quoted part nor a parenthesis, and returns the first index it accepts
     * (-1 if none). Inside quotes a backslash escapes (except in backticks) and a doubled quote is literal.
     */
    private static int scanTopLevel(String text, IntPredicate stop) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`' && i + 1 < text.length()) {
                    i++;
                } else if (c == quote) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                        i++;
                    } else {
                        quote = 0;
                    }
                }
                continue;
            }
            if (c == '`' || c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && stop.test(i)) {
                return i;
            }
        }
        return -1;
    }

    private static void add(List<String> items, String item) {
        String trimmed = item.strip();
        if (!trimmed.isEmpty()) {
            items.add(trimmed);
        }
    }

    /** Never the lines themselves: MariaDB prints the password hash in them. */
    @Override
    public String toString() {
        return "MySqlGrants{objects=" + objects.keySet() + ", roles=" + roles.keySet() + "}";
    }
}
