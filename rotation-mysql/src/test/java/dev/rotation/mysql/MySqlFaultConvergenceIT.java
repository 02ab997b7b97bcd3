package dev.rotation.mysql;

import dev.rotation.testkit.faults.FaultConvergenceContract;
import dev.rotation.testkit.faults.FaultTarget;

class MySqlFaultConvergenceIT extends FaultConvergenceContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
