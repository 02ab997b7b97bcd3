package dev.rotation.mysql;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SingleUserBadInputContract;

class MySqlBadInputIT extends SingleUserBadInputContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
