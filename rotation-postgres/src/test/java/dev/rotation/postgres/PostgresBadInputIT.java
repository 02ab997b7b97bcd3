package dev.rotation.postgres;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SingleUserBadInputContract;

class PostgresBadInputIT extends SingleUserBadInputContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
