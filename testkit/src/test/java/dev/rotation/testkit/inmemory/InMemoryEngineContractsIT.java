package dev.rotation.testkit.inmemory;

import dev.rotation.testkit.contract.EngineSpiIT;
import dev.rotation.testkit.contract.SecretHygieneIT;
import dev.rotation.testkit.contract.SingleUserBadInputIT;
import dev.rotation.testkit.contract.SingleUserRotationIT;
import dev.rotation.testkit.faults.FaultConvergenceIT;
import dev.rotation.testkit.EngineTarget;
import org.junit.platform.suite.api.ExcludeTags;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * A third engine, added in a test without touching any other module: {@link InMemoryEngine} implements
 * the SPI, {@link InMemoryTarget} is registered in this module's test META-INF/services, and the
 * protocol's contracts that need no wire run on it: the SPI contract, single-user rotation, bad input,
 * secret hygiene and fault convergence (both strategies), exactly as they run for MySQL and PostgreSQL,
 * less the tests tagged {@link EngineTarget#WIRE}, which need a network path the in-memory engine lacks.
 */
@Suite
@ExcludeTags(EngineTarget.WIRE)
@SelectClasses({EngineSpiIT.class, SingleUserRotationIT.class, SingleUserBadInputIT.class, SecretHygieneIT.class,
        FaultConvergenceIT.class})
class InMemoryEngineContractsIT {
}
