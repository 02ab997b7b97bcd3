package dev.rotation.mysql;

import dev.rotation.testkit.contract.alternating.AlternatingUsersAttackContract;
import dev.rotation.testkit.contract.alternating.AlternatingUsersTarget;

class MySqlAlternatingUsersAttackIT extends AlternatingUsersAttackContract {
    @Override
    protected AlternatingUsersTarget target() {
        return new MySqlAlternatingUsersTarget();
    }
}
