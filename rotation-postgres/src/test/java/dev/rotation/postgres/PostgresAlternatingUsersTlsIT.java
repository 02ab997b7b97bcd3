package dev.rotation.postgres;

import dev.rotation.testkit.faults.AlternatingUsersTlsContract;
import dev.rotation.testkit.faults.FaultTarget;

class PostgresAlternatingUsersTlsIT extends AlternatingUsersTlsContract {
    @Override
    protected FaultTarget target() {
        return new PostgresTarget();
    }
}
