package dev.rotation.postgres;

import dev.rotation.testkit.faults.FaultTarget;
import dev.rotation.testkit.faults.NetworkFaultContract;

class PostgresNetworkFaultIT extends NetworkFaultContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
