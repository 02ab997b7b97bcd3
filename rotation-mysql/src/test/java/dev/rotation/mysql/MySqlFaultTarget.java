package dev.rotation.mysql;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.faults.FaultTarget;

/** The MySQL module as the fault contracts see it. */
final class MySqlFaultTarget implements FaultTarget {

    @Override
    public TestDatabase database() {
        return TestDatabases.mysql();
    }

    @Override
    public TestDatabase startOwnDatabase() {
        return TestDatabases.startMysql();
    }

    @Override
    public TestDatabase startTlsDatabase(TlsMaterial tls) {
        return TestDatabases.startMysqlWithTls(tls);
    }

    @Override
    public DatabaseEngine engine() {
        return new MySqlEngine();
    }

    @Override
    public UserAdministration userAdministration() {
        return new MySqlUserAdmin();
    }

    @Override
    public void createMaster(TestDatabase db, String dbName, String username, String password, String appUser) {
        MySqlAlternatingUsersTarget.createMaster(db, username, password);
    }
}
