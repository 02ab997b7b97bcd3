package dev.rotation.mysql;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.TlsRotationContract;

class MySqlTlsRotationIT extends TlsRotationContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
