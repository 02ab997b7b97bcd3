package dev.rotation.postgres;

import dev.rotation.shared.faults.FaultConvergenceContract;
import dev.rotation.shared.faults.FaultTarget;

class PostgresFaultConvergenceIT extends FaultConvergenceContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
