package dev.rotation.mysql;

import dev.rotation.testkit.faults.ConcurrencyContract;
import dev.rotation.testkit.faults.FaultTarget;

class MySqlConcurrencyFaultIT extends ConcurrencyContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
