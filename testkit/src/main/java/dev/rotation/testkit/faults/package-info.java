/**
 * Proof under faults, engine-independent, run by each engine module through the test-jar.
 *
 * <ul>
 *   <li>{@link dev.rotation.testkit.faults.FaultConvergenceContract}: every external call of a rotation
 *       (counted by {@link dev.rotation.testkit.faults.FaultInjector} through an SDK interceptor, an engine
 *       and administration decorator and a JDBC proxy) failed once, retried as the service retries; the
 *       invariant of {@link dev.rotation.testkit.faults.Scenario} after every invocation; the table in
 *       {@code target/fault-convergence.md}.</li>
 *   <li>{@link dev.rotation.testkit.faults.DatabaseFaultContract}: server restarted or stopped during
 *       setSecret; a connection cut by {@link dev.rotation.testkit.faults.TcpCutProxy} after the password
 *       change and before the answer.</li>
 *   <li>{@link dev.rotation.testkit.faults.NetworkFaultContract}: Secrets Manager answers dropped on the
 *       wire, with the function's own client.</li>
 *   <li>{@link dev.rotation.testkit.faults.ConcurrencyContract}, {@link dev.rotation.testkit.faults.HostileInputContract},
 *       {@link dev.rotation.testkit.faults.AlternatingUsersTlsContract}.</li>
 * </ul>
 *
 * <p>An engine module implements {@link dev.rotation.testkit.faults.FaultTarget} once and extends each
 * contract with a one-line {@code *IT} class.
 */
package dev.rotation.testkit.faults;
