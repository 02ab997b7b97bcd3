package dev.rotation.postgres;

import dev.rotation.shared.faults.FaultTarget;
import dev.rotation.shared.faults.NetworkFaultContract;

class PostgresNetworkFaultIT extends NetworkFaultContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
