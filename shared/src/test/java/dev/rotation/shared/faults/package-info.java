/**
 * Proof under faults, engine-independent, run by each engine module through the test-jar.
 *
 * <ul>
 *   <li>{@link dev.rotation.shared.faults.FaultConvergenceContract}: every external call of a rotation
 *       (counted by {@link dev.rotation.shared.faults.FaultInjector} through an SDK interceptor, an engine
 *       and administration decorator and a JDBC proxy) failed once, retried as the service retries; the
 *       invariant of {@link dev.rotation.shared.faults.Scenario} after every invocation; the table in
 *       {@code target/fault-convergence.md}.</li>
 *   <li>{@link dev.rotation.shared.faults.DatabaseFaultContract}: server restarted or stopped during
 *       setSecret; a connection cut by {@link dev.rotation.shared.faults.TcpCutProxy} after the password
 *       change and before the answer.</li>
 *   <li>{@link dev.rotation.shared.faults.NetworkFaultContract}: Secrets Manager answers dropped on the
 *       wire, with the function's own client.</li>
 *   <li>{@link dev.rotation.shared.faults.ConcurrencyContract}, {@link dev.rotation.shared.faults.HostileInputContract},
 *       {@link dev.rotation.shared.faults.AlternatingUsersTlsContract}.</li>
 * </ul>
 *
 * <p>An engine module implements {@link dev.rotation.shared.faults.FaultTarget} once and extends each
 * contract with a one-line {@code *IT} class.
 */
package dev.rotation.shared.faults;
