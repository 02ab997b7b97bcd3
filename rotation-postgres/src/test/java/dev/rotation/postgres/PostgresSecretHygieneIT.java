package dev.rotation.postgres;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SecretHygieneContract;

class PostgresSecretHygieneIT extends SecretHygieneContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }
}
