package dev.rotation.mysql;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SingleUserRotationContract;

class MySqlSingleUserRotationIT extends SingleUserRotationContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
