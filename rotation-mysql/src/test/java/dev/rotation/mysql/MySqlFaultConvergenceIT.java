package dev.rotation.mysql;

import dev.rotation.shared.faults.FaultConvergenceContract;
import dev.rotation.shared.faults.FaultTarget;

class MySqlFaultConvergenceIT extends FaultConvergenceContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
