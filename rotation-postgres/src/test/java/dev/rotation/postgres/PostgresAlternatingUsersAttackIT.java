package dev.rotation.postgres;

import dev.rotation.shared.contract.alternating.AlternatingUsersAttackContract;
import dev.rotation.shared.contract.alternating.AlternatingUsersTarget;

class PostgresAlternatingUsersAttackIT extends AlternatingUsersAttackContract {
    @Override
    protected AlternatingUsersTarget target() {
        return new PostgresAlternatingUsersTarget();
    }
}
