package dev.rotation.postgres;

import dev.rotation.testkit.faults.ConcurrencyContract;
import dev.rotation.testkit.faults.FaultTarget;

class PostgresConcurrencyFaultIT extends ConcurrencyContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
