package dev.rotation.postgres;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.faults.FaultTarget;

/** The PostgreSQL module as the fault contracts see it. */
final class PostgresFaultTarget implements FaultTarget {

    @Override
    public TestDatabase database() {
        return TestDatabases.postgres();
    }

    @Override
    public TestDatabase startOwnDatabase() {
        return TestDatabases.startPostgres();
    }

    @Override
    public TestDatabase startTlsDatabase(TlsMaterial tls) {
        return TestDatabases.startPostgresWithTls(tls);
    }

    @Override
    public DatabaseEngine engine() {
        return new PostgresEngine();
    }

    @Override
    public UserAdministration userAdministration() {
        return new PostgresUserAdmin();
    }

    @Override
    public void createMaster(TestDatabase db, String dbName, String username, String password, String appUser) {
        PostgresAlternatingUsersTarget.createMaster(db, dbName, username, password, appUser);
    }
}
