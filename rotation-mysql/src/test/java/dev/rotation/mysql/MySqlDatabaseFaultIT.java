package dev.rotation.mysql;

import dev.rotation.shared.faults.DatabaseFaultContract;
import dev.rotation.shared.faults.FaultTarget;

class MySqlDatabaseFaultIT extends DatabaseFaultContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
