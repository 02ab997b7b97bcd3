package dev.rotation.mysql;

import dev.rotation.testkit.faults.AlternatingUsersTlsContract;
import dev.rotation.testkit.faults.FaultTarget;

class MySqlAlternatingUsersTlsIT extends AlternatingUsersTlsContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
