package dev.rotation.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.RotationStep;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs RotateSecret's steps through {@link LocalFunctions}: the RotationLambdaARN names a function of the
 * template by FunctionName or logical id, and each step is one synchronous invocation with the event
 * Secrets Manager sends. A function error fails the step with its errorType and errorMessage.
 */
public final class LambdaRotationInvoker implements RotationInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told about every step, e.g. to show progress. */
    public interface Listener {
        void started(FunctionDefinition function, RotationStep step);

        void finished(FunctionDefinition function, RotationStep step, InvocationResult result);
    }

    /** A step whose function failed, with Lambda's errorType and errorMessage. */
    public static final class FunctionErrorException extends RuntimeException {
        private final String errorType;

        FunctionErrorException(String errorType, String errorMessage) {
            super(errorType + ": " + errorMessage);
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }

    private final LocalFunctions functions;
    private final Listener listener;

    public LambdaRotationInvoker(LocalFunctions functions, Listener listener) {
        this.functions = Objects.requireNonNull(functions);
        this.listener = Objects.requireNonNull(listener);
    }

    public LambdaRotationInvoker(LocalFunctions functions) {
        this(functions, new Listener() {
            @Override
            public void started(FunctionDefinition function, RotationStep step) {
            }

            @Override
            public void finished(FunctionDefinition function, RotationStep step, InvocationResult result) {
            }
        });
    }

    @Override
    public void invoke(String rotationLambdaArn, RotationStep step) {
        FunctionDefinition function = functions.template().find(rotationLambdaArn).orElseThrow(() ->
                new FunctionErrorException("ResourceNotFoundException", "Function not found: " + rotationLambdaArn
                        + " (functions of " + functions.template().file() + ": " + functions.template().names() + ")"));
        Map<String, String> event = new LinkedHashMap<>();
        event.put("Step", step.step());
        event.put("SecretId", step.secretId());
        event.put("ClientRequestToken", step.clientRequestToken());
        if (step.rotationToken() != null) {
            event.put("RotationToken", step.rotationToken());
        }
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        listener.started(function, step);
        InvocationResult result = functions.invoke(function.logicalId(), payload);
        listener.finished(function, step, result);
        if (!result.success()) {
            throw new FunctionErrorException(result.errorType(), result.errorMessage());
        }
    }
}
