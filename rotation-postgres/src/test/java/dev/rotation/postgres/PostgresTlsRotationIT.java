package dev.rotation.postgres;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.TlsRotationContract;

class PostgresTlsRotationIT extends TlsRotationContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
