package dev.rotation.mysql;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code SELECT VERSION()} says about a MySQL-compatible server, and what follows from it for
 * changing a password.
 *
 * <p>Version strings seen in the wild: {@code 8.0.36}, {@code 9.1.0}, {@code 5.7.44-log},
 * {@code 8.0.36-28} (Percona), {@code 10.11.19-MariaDB-0+deb12u1}, {@code 5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204}
 * (MariaDB's handshake form, kept for old replication clients), {@code 8.0.mysql_aurora.3.05.2} and
 * {@code 5.7.mysql_aurora.2.11.2} (Aurora MySQL, no MySQL patch number).
 *
 * @param flavor which server family
 * @param major major version
 * @param minor minor version
 * @param patch patch version; {@code -1} when the string has none (Aurora)
 */
record MySqlServerVersion(Flavor flavor, int major, int minor, int patch) {

    /** Server families whose password statements differ. */
    enum Flavor { MYSQL, AURORA_MYSQL, MARIADB }

    private static final Pattern LEADING_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    /** MariaDB 10+ prefixes its real version with this in the handshake and, on some builds, VERSION(). */
    private static final String MARIADB_COMPAT_PREFIX = "5.5.5-";

    /** Parses a version string; empty when it does not start with a version number. */
    static Optional<MySqlServerVersion> parse(String version) {
        if (version == null) {
            return Optional.empty();
        }
        String text = version.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        Flavor flavor;
        if (lower.contains("mariadb")) {
            flavor = Flavor.MARIADB;
            if (text.startsWith(MARIADB_COMPAT_PREFIX)) {
                text = text.substring(MARIADB_COMPAT_PREFIX.length());
            }
        } else if (lower.contains("aurora")) {
            flavor = Flavor.AURORA_MYSQL;
        } else {
            flavor = Flavor.MYSQL;
        }
        Matcher m = LEADING_VERSION.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
            return Optional.of(new MySqlServerVersion(flavor, major, minor, patch));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /**
     * Whether an ordinary account changes its own password with {@code ALTER USER}: MySQL from
     * 5.7.6 and every Aurora MySQL from version 2 (MySQL 5.7 compatible) allow it to any
     * non-anonymous account. MariaDB does not: its ALTER USER needs the CREATE USER privilege even
     * for one's own account, while {@code SET PASSWORD} without {@code FOR} is allowed to everyone
     * and {@code PASSWORD()} exists in every MariaDB version (and hashes with the account's
     * authentication plugin from 10.4 on).
     */
    boolean changesOwnPasswordWithAlterUser() {
        return switch (flavor) {
            case MARIADB -> false;
            case AURORA_MYSQL -> atLeast(5, 7, -1);
            case MYSQL -> atLeast(5, 7, 6);
        };
    }

    /** Whether the server still has the {@code PASSWORD()} function: MySQL removed it in 8.0.11. */
    boolean hasPasswordFunction() {
        return flavor == Flavor.MARIADB || !atLeast(8, 0, 11);
    }

    private boolean atLeast(int wantMajor, int wantMinor, int wantPatch) {
        if (major != wantMajor) {
            return major > wantMajor;
        }
        if (minor != wantMinor) {
            return minor > wantMinor;
        }
        return patch >= wantPatch;
    }

    @Override
    public String toString() {
        return flavor + " " + major + "." + minor + (patch < 0 ? "" : "." + patch);
    }
}
