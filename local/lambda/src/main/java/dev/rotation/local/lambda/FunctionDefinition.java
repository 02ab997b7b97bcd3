package dev.rotation.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One function of a SAM template, resolved for running locally.
 *
 * @param logicalId    the resource's logical id, e.g. {@code MySqlRotationFunction}
 * @param functionName its FunctionName after substitution (the logical id when none is set)
 * @param handler      the Lambda handler string, e.g. {@code pkg.Class::handleRequest}
 * @param codeUri      the deployment jar (or directory), absolute
 * @param runtime      e.g. {@code java21}
 * @param memoryMb     MemorySize
 * @param timeout      Timeout
 * @param environment  Environment.Variables, Globals merged with the function's, intrinsics resolved
 */
public record FunctionDefinition(String logicalId, String functionName, String handler, Path codeUri,
                                 String runtime, int memoryMb, Duration timeout, Map<String, String> environment) {
    public FunctionDefinition {
        environment = Map.copyOf(environment);
    }

    /** A copy with the environment replaced. */
    public FunctionDefinition withEnvironment(Map<String, String> newEnvironment) {
        return new FunctionDefinition(logicalId, functionName, handler, codeUri, runtime, memoryMb, timeout,
                newEnvironment);
    }

    /** The function's ARN in the local account and region. */
    public String arn(String region) {
        return "arn:aws:lambda:" + region + ":" + SamTemplate.ACCOUNT_ID + ":function:" + functionName;
    }
}
