package dev.rotation.postgres;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SecretHygieneContract;

class PostgresSecretHygieneIT extends SecretHygieneContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
