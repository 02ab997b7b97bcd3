package dev.rotation.postgres;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SingleUserRotationContract;

class PostgresSingleUserRotationIT extends SingleUserRotationContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
