package dev.rotation.testkit;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;
import java.nio.file.Path;
import java.util.List;

/**
 * What an engine module tells the test kit, and all it tells it: its engine (the SPI), its servers,
 * a fake server of its wire protocol, how an operator grants a privilege to the pair under the
 * module's design, and its deployment jar. One implementation per engine module, found by
 * {@link EngineTargets#current()} through {@link java.util.ServiceLoader}: the module registers it in
 * {@code src/test/resources/META-INF/services/dev.rotation.testkit.EngineTarget}, and failsafe runs the
 * test kit's contracts ({@code dependenciesToScan}) with no stub class per contract.
 *
 * <p>Everything else a contract needs comes from the engine's description (its secret family, default
 * port and exclusions) and from the test database (its users, masters, limits).
 */
public interface EngineTarget {

    /**
     * The tag of contract tests that need a real network path to the server (a TCP listener, a
     * timeout): every engine module runs them; an engine without a wire (a test's in-memory one) leaves
     * them out.
     */
    String WIRE = "wire";

    /** A new engine as the module's handlers build it. */
    DatabaseEngine engine();

    /** A new user administration as the module's alternating-users handler builds it. */
    UserAdministration userAdministration();

    /** The JVM's shared server of the engine's kind; every test makes its own database and users. */
    TestDatabase database();

    /** A server of the test's own, which supports {@link TestDatabase#restart()}; the caller closes it. */
    TestDatabase startOwnDatabase();

    /** A new server offering TLS with {@code tls}'s certificate (plaintext still accepted); the caller closes it. */
    TestDatabase startTlsDatabase(TlsMaterial tls);

    /** A fake server of the engine's protocol that offers no TLS and records what it learns; the caller closes it. */
    FakeServer startFakeServerWithoutTls();

    /** A privilege outside the application's database, created as the administrator for one test. */
    ExtraPrivilege extraPrivilege(TestDatabase db, String dbName);

    /**
     * Takes from the master user {@code master} the privilege it needs to create users (MySQL:
     * {@code CREATE USER}; PostgreSQL: {@code CREATEROLE}), leaving the rest, as the administrator.
     * For preflight's test of a master that lacks it; an engine without users need not support it.
     */
    default void revokeUserCreation(TestDatabase db, String master) {
        throw new UnsupportedOperationException("this engine has no master privileges to revoke");
    }

    /** The module's shaded deployment jar and what must and must not be in it. */
    DeploymentJar deploymentJar();

    /** One privilege the administrator grants and revokes the way the module's documentation says. */
    interface ExtraPrivilege {
        /** Grants it to the user {@code currentUser} is (on PostgreSQL: to the pair's base role). */
        void grantTo(String currentUser);

        /** Revokes it the same way. */
        void revokeFrom(String currentUser);

        /** Whether {@code username} can use it, logged in with {@code password}. */
        boolean usableBy(String username, String password);
    }

    /**
     * The deployment jar's facts.
     *
     * @param path the shaded jar, relative to the module's directory
     * @param handlers the Lambda handler classes template.yaml names
     * @param driverClass the one JDBC driver the jar holds and registers
     * @param foreignPackages entry prefixes of other engines' drivers, e.g. {@code "org/postgresql/"}
     * @param unusedPrefixes entry prefixes of the engine's driver that the function never loads
     * @param maxBytes the size the jar must stay within
     */
    record DeploymentJar(Path path, List<String> handlers, String driverClass, List<String> foreignPackages,
            List<String> unusedPrefixes, long maxBytes) {
    }
}
