/**
 * A local AWS Secrets Manager for running and testing rotation functions without an AWS account.
 *
 * <p>{@link dev.rotation.local.secretsmanager.LocalSecretsManager} serves AWS JSON 1.1 to the SDKs
 * and the CLI; {@code SecretStore} holds the service's rules apart from HTTP; {@code Rotator} runs
 * rotations through a {@link dev.rotation.local.secretsmanager.RotationInvoker}.
 *
 * <p>Choices where the service's documentation leaves room, so users know what to expect:
 * <ul>
 * <li>A failed step retries the whole rotation with the same token, immediately, up to
 *     {@code maxRotationAttempts} (default 5); then AWSPENDING stays on the value-less or
 *     half-filled version and the next RotateSecret is refused until it is dealt with. Calling
 *     RotateSecret again with that same token resumes it.</li>
 * <li>A step that runs longer than {@code rotationStepTimeout} (default 15 minutes, Lambda's maximum)
 *     fails with Lambda's "Task timed out after N seconds"; its thread is interrupted.</li>
 * <li>{@code RotateImmediately=false}: as documented, only testSecret runs, against an AWSPENDING
 *     version created for the test and removed afterwards; one attempt, outcome TEST_SUCCEEDED or
 *     TEST_FAILED.</li>
 * <li>Scheduled rotation starts at the first scheduler tick inside the window (the service picks a
 *     random time in it); a window that closed while the server was down is skipped, not made up.
 *     A schedule counts from the last rotation or manual change of AWSCURRENT.
 *     NextRotationDate is the last second of the next window.</li>
 * <li>Each rotation's outcome is in DescribeSecret as {@code LocalRotationStatus}, a member the SDKs
 *     and the CLI ignore, and in {@code LocalSecretsManager.rotationOutcome(secretId)}.</li>
 * <li>Malformed JSON and wrong-typed members answer SerializationException; missing required
 *     members InvalidParameterException; an unknown operation UnknownOperationException.</li>
 * <li>HTTP ({@code ApiServer}): loopback only unless {@code allowRemote}; a Host header that names
 *     another site is AccessDeniedException (403), see {@code HostCheck}; a request must arrive within
 *     the read limit (default 10 s) or is RequestTimeoutException (408); a Content-Length over 1 MiB is
 *     SerializationException, answered before the body arrives, and the connection is closed.</li>
 * <li>With a data directory, each secret is one JSON file, rewritten through a temporary file,
 *     fsync and atomic rename; values are sealed with AES-256-GCM under {@code master.key} (mode 600).</li>
 * </ul>
 */
package dev.rotation.local.secretsmanager;
