package dev.rotation.mysql;

import dev.rotation.shared.faults.AlternatingUsersTlsContract;
import dev.rotation.shared.faults.FaultTarget;

class MySqlAlternatingUsersTlsIT extends AlternatingUsersTlsContract {
    @Override
    protected FaultTarget target() {
        return new MySqlTarget();
    }
}
