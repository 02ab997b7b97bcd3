package dev.rotation.local.testdb;

/** The two families of servers this package provides. */
enum Kind {
    MYSQL("MySQL-compatible", "jdbc:mysql://", 3306, "mysql:8.4"),
    POSTGRES("PostgreSQL", "jdbc:postgresql://", 5432, "postgres:16");

    final String displayName;
    final String jdbcPrefix;
    final int defaultPort;
    final String dockerImage;

    Kind(String displayName, String jdbcPrefix, int defaultPort, String dockerImage) {
        this.displayName = displayName;
        this.jdbcPrefix = jdbcPrefix;
        this.defaultPort = defaultPort;
        this.dockerImage = dockerImage;
    }

    /** The Testcontainers image: {@code TEST_MYSQL_IMAGE} / {@code TEST_POSTGRES_IMAGE} (e.g. {@code mysql:8.0}), else the default. */
    String image() {
        String configured = System.getenv(envPrefix() + "_IMAGE");
        return configured == null || configured.isBlank() ? dockerImage : configured;
    }

    /** Prefix of this kind's environment variables: {@code TEST_MYSQL} or {@code TEST_POSTGRES}. */
    String envPrefix() {
        return this == MYSQL ? "TEST_MYSQL" : "TEST_POSTGRES";
    }
}
