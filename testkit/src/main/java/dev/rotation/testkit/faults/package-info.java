/**
 * Proof under faults, engine-independent, run by each engine module for the {@link
 * dev.rotation.testkit.EngineTarget} it registers.
 *
 * <ul>
 *   <li>{@link dev.rotation.testkit.faults.FaultConvergenceIT}: every external call of a rotation
 *       (counted by {@link dev.rotation.testkit.faults.FaultInjector} through an SDK interceptor, an engine
 *       and administration decorator and a JDBC proxy) failed once, retried as the service retries; the
 *       invariant of {@link dev.rotation.testkit.faults.Scenario} after every invocation; the table in
 *       {@code target/fault-convergence.md}.</li>
 *   <li>{@link dev.rotation.testkit.faults.DatabaseFaultIT}: server restarted or stopped during
 *       setSecret; a connection cut by {@link dev.rotation.testkit.TcpCutProxy} after the password
 *       change and before the answer.</li>
 *   <li>{@link dev.rotation.testkit.faults.NetworkFaultIT}: Secrets Manager answers dropped on the
 *       wire, with the function's own client.</li>
 *   <li>{@link dev.rotation.testkit.faults.ConcurrencyFaultIT}, {@link dev.rotation.testkit.faults.HostileInputIT},
 *       {@link dev.rotation.testkit.faults.AlternatingUsersTlsIT}.</li>
 * </ul>
 *
 * <p>They run in a {@link dev.rotation.testkit.RotationWorld} built with fault injection.
 */
package dev.rotation.testkit.faults;
