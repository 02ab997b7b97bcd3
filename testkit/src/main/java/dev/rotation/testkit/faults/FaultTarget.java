package dev.rotation.testkit.faults;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;

/**
 * What an engine module tells the fault contracts: its servers, its engine and administration
 * (the fault harness wraps them), and how to make a master user that is no superuser.
 *
 * <pre>{@code
 * final class MySqlTarget implements RotationTarget, FaultTarget { ... }
 * class MySqlFaultConvergenceIT extends FaultConvergenceContract {
 *     protected FaultTarget target() { return new MySqlTarget(); }
 * }
 * }</pre>
 */
public interface FaultTarget {

    /** The JVM's shared server of the target's kind. */
    TestDatabase database();

    /** A server of the test's own, which supports {@link TestDatabase#restart()}; the caller closes it. */
    TestDatabase startOwnDatabase();

    /**
     * A new server of the target's kind offering TLS with {@code tls}'s certificate (plaintext still
     * accepted); the caller closes it.
     */
    TestDatabase startTlsDatabase(TlsMaterial tls);

    /** A new engine as the module's handlers use it. */
    DatabaseEngine engine();

    /** A new user administration as the module's alternating-users handler uses it. */
    UserAdministration userAdministration();

    /**
     * Creates, as {@code db}'s administrator, a master user like a managed database's (no superuser)
     * able to administer {@code appUser} and its clone.
     */
    void createMaster(TestDatabase db, String dbName, String username, String password, String appUser);
}
