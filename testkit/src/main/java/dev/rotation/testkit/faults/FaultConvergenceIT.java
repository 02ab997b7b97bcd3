package dev.rotation.testkit.faults;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every external call of a rotation, failed one at a time: a fault-free rotation lists the call
 * positions (each Secrets Manager request, each database login, statement and engine or
 * administration call); then for every position and every fault kind that applies to it (Secrets
 * Manager: error before the request takes effect, answer lost after it took effect, timeout after
 * it took effect, the last only on the requests that change something; database: connection lost
 * before or after the server executed the call) a fresh
 * rotation runs with that one fault, retried as the service retries, alternately by invoking the
 * failed step again and by restarting the whole rotation with the same token. The invariant holds
 * after every invocation, the rotation ends as the service expects, and no password leaks. The
 * counts go to {@link ConvergenceTable}; every fault must converge. The matrix itself is {@link FaultMatrix}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class FaultConvergenceIT {

    private RotationWorld world;
    private TestDatabase db;

    @BeforeAll
    void startWorld() {
        EngineTarget target = EngineTargets.current();
        db = target.database();
        world = RotationWorld.builder(target).database(db, db.createDatabase("faults"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
    }

    @AfterAll
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void singleUser_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.SINGLE_USER);
    }

    @Test
    void alternatingUsers_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.ALTERNATING_USERS, 0);
    }

    /** The second rotation switches back to the base user, which exists and is AWSPREVIOUS: other calls. */
    @Test
    void alternatingUsers_secondRotation_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.ALTERNATING_USERS, 1);
    }

    private void runMatrix(Strategy strategy) {
        runMatrix(strategy, 0);
    }

    private void runMatrix(Strategy strategy, int priorRotations) {
        FaultMatrix.converge(world, strategy, priorRotations);
    }
}
