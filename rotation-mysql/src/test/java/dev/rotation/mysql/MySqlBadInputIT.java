package dev.rotation.mysql;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SingleUserBadInputContract;

class MySqlBadInputIT extends SingleUserBadInputContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
