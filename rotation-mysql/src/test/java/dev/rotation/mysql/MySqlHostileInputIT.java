package dev.rotation.mysql;

import dev.rotation.shared.faults.FaultTarget;
import dev.rotation.shared.faults.HostileInputContract;

class MySqlHostileInputIT extends HostileInputContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
