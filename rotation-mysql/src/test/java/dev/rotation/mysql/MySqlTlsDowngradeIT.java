package dev.rotation.mysql;

import dev.rotation.shared.attacks.FakeMySqlServer;
import dev.rotation.shared.attacks.FakeServer;
import dev.rotation.shared.attacks.TlsDowngradeContract;
import dev.rotation.shared.contract.RotationTarget;

class MySqlTlsDowngradeIT extends TlsDowngradeContract {
    @Override
    protected RotationTarget target() {
        return new MySqlTarget();
    }

    @Override
    protected FakeServer startFakeServerWithoutTls() {
        return FakeMySqlServer.start();
    }
}
