package dev.rotation.postgres;

import dev.rotation.shared.faults.AlternatingUsersTlsContract;
import dev.rotation.shared.faults.FaultTarget;

class PostgresAlternatingUsersTlsIT extends AlternatingUsersTlsContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
