package dev.rotation.mysql;

import dev.rotation.testkit.faults.FaultTarget;
import dev.rotation.testkit.faults.NetworkFaultContract;

class MySqlNetworkFaultIT extends NetworkFaultContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
