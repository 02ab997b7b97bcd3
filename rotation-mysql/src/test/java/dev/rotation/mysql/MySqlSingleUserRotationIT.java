package dev.rotation.mysql;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SingleUserRotationContract;

class MySqlSingleUserRotationIT extends SingleUserRotationContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
