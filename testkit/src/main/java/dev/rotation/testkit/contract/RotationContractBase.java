package dev.rotation.testkit.contract;

import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.RotationWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Lifecycle shared by the single-user contracts: one database per test class on the engine's
 * server, and per test a fresh {@link RotationWorld} (local Secrets Manager, SDK client, handlers,
 * users) of single-user rotation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RotationContractBase {
    private EngineTarget target;
    private String dbName;
    RotationWorld fixture;

    @BeforeAll
    void createDatabase() {
        target = EngineTargets.current();
        dbName = target.database().createDatabase("rotation_contract");
    }

    @BeforeEach
    void startFixture() {
        fixture = RotationWorld.builder(target).database(target.database(), dbName).build();
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    EngineTarget engineTarget() {
        return target;
    }

    String databaseName() {
        return dbName;
    }
}
