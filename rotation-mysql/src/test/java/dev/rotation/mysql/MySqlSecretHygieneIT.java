package dev.rotation.mysql;

import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.SecretHygieneContract;

class MySqlSecretHygieneIT extends SecretHygieneContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
