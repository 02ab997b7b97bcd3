package dev.rotation.postgres;

import dev.rotation.testkit.faults.FaultTarget;
import dev.rotation.testkit.faults.HostileInputContract;

class PostgresHostileInputIT extends HostileInputContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
