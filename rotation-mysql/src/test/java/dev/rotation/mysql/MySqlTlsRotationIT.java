package dev.rotation.mysql;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.TlsRotationContract;

class MySqlTlsRotationIT extends TlsRotationContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
