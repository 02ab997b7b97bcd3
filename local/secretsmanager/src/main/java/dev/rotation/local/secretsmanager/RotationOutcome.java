package dev.rotation.local.secretsmanager;

import java.time.Instant;

/**
 * What the latest rotation of a secret did, for tests and operators: DescribeSecret also shows it
 * (as {@code LocalRotationStatus}, a member the AWS SDKs and CLI ignore) and each step is logged.
 *
 * @param versionId the rotation's ClientRequestToken
 * @param status    IN_PROGRESS, SUCCEEDED, FAILED, CANCELLED, TEST_SUCCEEDED or TEST_FAILED
 * @param step      the step running, or the one that failed last; null when succeeded
 * @param attempts  attempts of the whole rotation so far
 * @param reason    the failure reason (the step's exception message, scrubbed), or null
 * @param date      when this outcome was recorded
 */
public record RotationOutcome(String versionId, String status, String step, int attempts, String reason,
                              Instant date) {
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
    public static final String TEST_SUCCEEDED = "TEST_SUCCEEDED";
    public static final String TEST_FAILED = "TEST_FAILED";

    /** True once the rotation stopped, however it ended. */
    public boolean finished() {
        return !IN_PROGRESS.equals(status);
    }
}
