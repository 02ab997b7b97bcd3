package dev.rotation.mysql;

import dev.rotation.shared.contract.alternating.AlternatingUsersAttackContract;
import dev.rotation.shared.contract.alternating.AlternatingUsersTarget;

class MySqlAlternatingUsersAttackIT extends AlternatingUsersAttackContract {
    @Override
    protected AlternatingUsersTarget target() {
        return new MySqlAlternatingUsersTarget();
    }
}
