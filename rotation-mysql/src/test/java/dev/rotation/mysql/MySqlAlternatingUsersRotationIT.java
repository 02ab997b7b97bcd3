package dev.rotation.mysql;

import dev.rotation.shared.contract.alternating.AlternatingUsersRotationContract;
import dev.rotation.shared.contract.alternating.AlternatingUsersTarget;

/** The alternating-users contract on the MySQL-compatible test server. */
class MySqlAlternatingUsersRotationIT extends AlternatingUsersRotationContract {

    @Override
    protected AlternatingUsersTarget target() {
        return new MySqlAlternatingUsersTarget();
    }
}
