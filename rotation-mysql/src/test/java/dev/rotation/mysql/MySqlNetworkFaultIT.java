package dev.rotation.mysql;

import dev.rotation.shared.faults.FaultTarget;
import dev.rotation.shared.faults.NetworkFaultContract;

class MySqlNetworkFaultIT extends NetworkFaultContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
