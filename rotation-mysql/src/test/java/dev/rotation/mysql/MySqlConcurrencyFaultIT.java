package dev.rotation.mysql;

import dev.rotation.shared.faults.ConcurrencyContract;
import dev.rotation.shared.faults.FaultTarget;

class MySqlConcurrencyFaultIT extends ConcurrencyContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
