package dev.rotation.testkit.compat;

import dev.rotation.local.testdb.ServerVersion;
import dev.rotation.testkit.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's compatibility table, made from what {@link CompatibilityIT} ran in this build: a cell says
 * "tested here" only if every test of that version and strategy ran and passed. Rows for what this build
 * cannot run (MySQL 8, only under Testcontainers) and what the functions refuse are fixed text.
 */
final class CompatibilityTable {
    static final String HEADER = "| Engine | Version | Server binaries in the build | Single user | Alternating users"
            + " | Master user for alternating users |";
    static final String TESTED = "tested here";

    private final Map<ServerVersion, Map<Strategy, int[]>> results = new LinkedHashMap<>();

    /** Records one test of a cell; {@code passed} false marks the whole cell failed. */
    synchronized void record(ServerVersion version, Strategy strategy, boolean passed) {
        int[] counts = results.computeIfAbsent(version, v -> new EnumMap<>(Strategy.class))
                .computeIfAbsent(strategy, s -> new int[2]);
        counts[passed ? 0 : 1]++;
    }

    private String cell(ServerVersion version, Strategy strategy) {
        int[] counts = results.getOrDefault(version, Map.of()).get(strategy);
        if (counts == null) {
            return "not run in this build";
        }
        return counts[1] == 0 ? TESTED : "FAILED in this build (" + counts[1] + " of " + (counts[0] + counts[1]) + " tests)";
    }

    /** The table's rows for {@code family} ({@code postgres} or {@code mysql}), in README order. */
    synchronized List<String> rows(String family, List<ServerVersion> versions) {
        List<String> rows = new ArrayList<>();
        for (ServerVersion v : versions) {
            rows.add("| " + v.product() + " | " + v.major() + " | " + v.source().replace("Maven artifact ", "`")
                    .replace("Debian package ", "Debian package `") + "` | " + cell(v, Strategy.SINGLE_USER) + " | "
                    + cell(v, Strategy.ALTERNATING_USERS) + " | " + masterPrivileges(v) + " |");
        }
        if (family.equals("postgres")) {
            rows.add("| PostgreSQL | 9.6 and older | - | not supported | not supported | - (no SCRAM-SHA-256"
                    + " password verifiers; the functions refuse) |");
        } else {
            for (String mysql : List.of("8.0", "8.4")) {
                rows.add("| MySQL | " + mysql + " | Docker image `mysql:" + mysql + "`" + (mysql.equals("8.4")
                        ? " (the default when Docker answers)" : " (`TEST_MYSQL_IMAGE=mysql:8.0`)")
                        + " | tested only under Testcontainers | tested only under Testcontainers | " + MYSQL_MASTER + " |");
            }
        }
        return rows;
    }

    private static final String MYSQL_MASTER = "CREATE USER and the application's privileges WITH GRANT OPTION, no"
            + " SUPER (as RDS's master user)";

    private static String masterPrivileges(ServerVersion v) {
        if (v.engine().equals("mariadb")) {
            return MYSQL_MASTER;
        }
        String rds = "CREATEROLE, no SUPERUSER (RDS's master user: CREATEROLE, CREATEDB, member of rds_superuser)";
        return Integer.parseInt(v.major()) < 16 ? rds : rds + "; ADMIN OPTION on the application role if the"
                + " master did not create it: `GRANT app TO master WITH ADMIN OPTION, INHERIT FALSE, SET FALSE`";
    }

    /** Writes the rows to {@code target/compatibility-<family>.md} for the README. */
    synchronized Path write(String family, List<String> rows) {
        Path out = Path.of("target", "compatibility-" + family + ".md");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, HEADER + "\n|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n",
                    StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** The rows of README.md's "## Compatibility" section that start with {@code prefix}. */
    static List<String> readmeRows(Path readme, List<String> prefixes) {
        try {
            List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
            int start = lines.indexOf("## Compatibility");
            if (start < 0) {
                throw new AssertionError(readme + " has no section \"## Compatibility\"");
            }
            List<String> rows = new ArrayList<>();
            for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
                String line = lines.get(i);
                if (prefixes.stream().anyMatch(line::startsWith)) {
                    rows.add(line);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme, e);
        }
    }
}
