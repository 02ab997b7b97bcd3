package dev.rotation.postgres;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SingleUserBadInputContract;

class PostgresBadInputIT extends SingleUserBadInputContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
