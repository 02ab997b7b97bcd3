package dev.rotation.postgres;

import dev.rotation.shared.attacks.FakePostgresServer;
import dev.rotation.shared.attacks.FakeServer;
import dev.rotation.shared.attacks.TlsDowngradeContract;
import dev.rotation.shared.contract.RotationTarget;

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
