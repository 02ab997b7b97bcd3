package dev.rotation.mysql;

import dev.rotation.testkit.faults.DatabaseFaultContract;
import dev.rotation.testkit.faults.FaultTarget;

class MySqlDatabaseFaultIT extends DatabaseFaultContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
