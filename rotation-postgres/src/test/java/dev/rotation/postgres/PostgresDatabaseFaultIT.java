package dev.rotation.postgres;

import dev.rotation.testkit.faults.DatabaseFaultContract;
import dev.rotation.testkit.faults.FaultTarget;

class PostgresDatabaseFaultIT extends DatabaseFaultContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
