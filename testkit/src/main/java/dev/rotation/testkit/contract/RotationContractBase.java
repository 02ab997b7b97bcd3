package dev.rotation.testkit.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Lifecycle shared by the contracts: one database per test class on the target's server, and per
 * test a fresh {@link RotationFixture} (local Secrets Manager, SDK client, handler, users).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RotationContractBase {

    /** The engine module under test. */
    protected abstract RotationTarget target();

    private RotationTarget target;
    private String dbName;
    RotationFixture fixture;

    @BeforeAll
    void createDatabase() {
        target = target();
        dbName = target.database().createDatabase("rotation_contract");
    }

    @BeforeEach
    void startFixture() {
        fixture = new RotationFixture(target.database(), dbName, target::handler);
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    RotationTarget engineTarget() {
        return target;
    }
}
