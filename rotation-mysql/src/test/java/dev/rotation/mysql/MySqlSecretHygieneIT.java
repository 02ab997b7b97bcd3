package dev.rotation.mysql;

import dev.rotation.shared.contract.RotationTarget;
import dev.rotation.shared.contract.SecretHygieneContract;

class MySqlSecretHygieneIT extends SecretHygieneContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }
}
