package dev.rotation.postgres;

import dev.rotation.shared.faults.DatabaseFaultContract;
import dev.rotation.shared.faults.FaultTarget;

class PostgresDatabaseFaultIT extends DatabaseFaultContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
