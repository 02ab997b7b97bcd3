package dev.rotation.postgres;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SingleUserRotationContract;

class PostgresSingleUserRotationIT extends SingleUserRotationContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
