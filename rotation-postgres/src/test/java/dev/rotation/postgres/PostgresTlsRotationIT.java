package dev.rotation.postgres;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.TlsRotationContract;

class PostgresTlsRotationIT extends TlsRotationContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
