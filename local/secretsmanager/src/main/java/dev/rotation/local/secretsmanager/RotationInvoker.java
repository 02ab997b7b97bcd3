package dev.rotation.local.secretsmanager;

/**
 * Runs the rotation function for one step, the way Secrets Manager invokes a Lambda function:
 * synchronously, once per step. {@link InProcessInvoker} calls handler objects in this JVM.
 */
@FunctionalInterface
public interface RotationInvoker {
    /**
     * Runs one rotation step synchronously, like Lambda's synchronous invoke. Returns normally on
     * success; throws on failure (the message is logged as the failure reason).
     */
    void invoke(String rotationLambdaArn, RotationStep step) throws Exception;
}
