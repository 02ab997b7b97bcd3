package dev.rotation.testkit.inmemory;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.FakeServer;

/**
 * The in-memory engine as the test kit sees it: the protocol's contracts that need no wire (no TLS, no
 * TCP, no server process) run on it (see {@link InMemoryEngineContractsIT}); the others say plainly
 * that it has no such thing.
 */
public final class InMemoryTarget implements EngineTarget {
    private static final InMemoryDatabase DATABASE = new InMemoryDatabase(InMemoryServer.SHARED);

    @Override
    public InMemoryEngine engine() {
        return new InMemoryEngine();
    }

    @Override
    public InMemoryEngine userAdministration() {
        return new InMemoryEngine();
    }

    @Override
    public TestDatabase database() {
        return DATABASE;
    }

    @Override
    public TestDatabase startOwnDatabase() {
        throw new UnsupportedOperationException("the in-memory engine has no server process of its own");
    }

    @Override
    public TestDatabase startTlsDatabase(TlsMaterial tls) {
        throw new UnsupportedOperationException("the in-memory engine has no TLS");
    }

    @Override
    public FakeServer startFakeServerWithoutTls() {
        throw new UnsupportedOperationException("the in-memory engine has no wire protocol");
    }

    @Override
    public ExtraPrivilege extraPrivilege(TestDatabase db, String dbName) {
        throw new UnsupportedOperationException("the in-memory engine has no privileges beyond a user's");
    }

    @Override
    public DeploymentJar deploymentJar() {
        throw new UnsupportedOperationException("the in-memory engine is not deployed");
    }
}
