package dev.rotation.postgres;

import dev.rotation.testkit.attacks.FakePostgresServer;
import dev.rotation.testkit.attacks.FakeServer;
import dev.rotation.testkit.attacks.TlsDowngradeContract;
import dev.rotation.testkit.contract.RotationTarget;

class PostgresTlsDowngradeIT extends TlsDowngradeContract {
    @Override
    protected RotationTarget target() {
        return new PostgresTarget();
    }

    @Override
    protected FakeServer startFakeServerWithoutTls() {
        return FakePostgresServer.start();
    }
}
