package dev.rotation.postgres;

import dev.rotation.shared.contract.alternating.AlternatingUsersRotationContract;
import dev.rotation.shared.contract.alternating.AlternatingUsersTarget;

/** The alternating-users contract on the PostgreSQL test server. */
class PostgresAlternatingUsersRotationIT extends AlternatingUsersRotationContract {

    @Override
    protected AlternatingUsersTarget target() {
        return new PostgresAlternatingUsersTarget();
    }
}
