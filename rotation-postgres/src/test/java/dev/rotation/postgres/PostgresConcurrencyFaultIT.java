package dev.rotation.postgres;

import dev.rotation.shared.faults.ConcurrencyContract;
import dev.rotation.shared.faults.FaultTarget;

class PostgresConcurrencyFaultIT extends ConcurrencyContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
