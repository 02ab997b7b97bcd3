package dev.rotation.postgres;

import dev.rotation.shared.faults.FaultTarget;
import dev.rotation.shared.faults.HostileInputContract;

class PostgresHostileInputIT extends HostileInputContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
