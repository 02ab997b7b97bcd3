package dev.rotation.postgres;

import dev.rotation.testkit.faults.FaultConvergenceContract;
import dev.rotation.testkit.faults.FaultTarget;

class PostgresFaultConvergenceIT extends FaultConvergenceContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
