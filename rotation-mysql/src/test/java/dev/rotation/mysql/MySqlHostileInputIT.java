package dev.rotation.mysql;

import dev.rotation.testkit.faults.FaultTarget;
import dev.rotation.testkit.faults.HostileInputContract;

class MySqlHostileInputIT extends HostileInputContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
