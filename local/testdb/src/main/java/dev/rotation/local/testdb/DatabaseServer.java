package dev.rotation.local.testdb;

import java.nio.file.Path;
import java.util.Optional;

/** Where a server is and how to administer it, whoever provides it (environment, container, local binaries). */
interface DatabaseServer {
    Kind kind();

    String host();

    int port();

    String adminUser();

    String adminPassword();

    /** The database admin connections use when none is named (PostgreSQL needs one). */
    String adminDatabase();

    /** Extra JDBC URL query, starting with {@code ?}, or empty. */
    default String urlQuery() {
        return "";
    }

    /** Where the server comes from, for {@link TestDatabase#describe()}. Never a password. */
    String origin();

    boolean tlsEnabled();

    default Optional<Path> log() {
        return Optional.empty();
    }

    void restart();

    /** Makes the server accept any password for {@code username} (a misconfiguration tests need to reproduce). */
    default void trust(String username) {
        throw new UnsupportedOperationException("only throwaway PostgreSQL servers can trust a user: " + origin());
    }

    /** Stops the process, keeping data and port. */
    void pause();

    /** Starts a paused process again. */
    void resume();

    /** Stops for good and deletes what it can (for servers it owns). */
    void destroy();
}
