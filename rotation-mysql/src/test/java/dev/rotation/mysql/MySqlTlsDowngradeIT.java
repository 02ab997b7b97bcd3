package dev.rotation.mysql;

import dev.rotation.testkit.attacks.FakeMySqlServer;
import dev.rotation.testkit.attacks.FakeServer;
import dev.rotation.testkit.attacks.TlsDowngradeContract;
import dev.rotation.testkit.contract.RotationTarget;

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
