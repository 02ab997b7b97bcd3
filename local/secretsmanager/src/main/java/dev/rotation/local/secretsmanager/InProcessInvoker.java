package dev.rotation.local.secretsmanager;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RotationInvoker} that calls rotation handlers registered in this JVM, by function name.
 * A Lambda ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}) resolves to its
 * NAME; an unknown function fails the step as Lambda's ResourceNotFoundException would.
 *
 * <pre>{@code
 * InProcessInvoker invoker = new InProcessInvoker()
 *     .register("rotate-mysql", step -> handler.handleRequest(toEvent(step), context));
 * }</pre>
 */
public final class InProcessInvoker implements RotationInvoker {

    /** A rotation function in this JVM: returns normally on success, throws on failure. */
    @FunctionalInterface
    public interface StepHandler {
        void handle(RotationStep step) throws Exception;
    }

    /** Thrown for a function that is not registered, with Lambda's wording. */
    public static final class FunctionNotFoundException extends RuntimeException {
        FunctionNotFoundException(String arn) {
            super("ResourceNotFoundException: Function not found: " + arn);
        }
    }

    private final Map<String, StepHandler> handlers = new ConcurrentHashMap<>();

    /** Registers (or replaces) the handler for a function name or Lambda ARN; returns this. */
    public InProcessInvoker register(String functionNameOrArn, StepHandler handler) {
        Objects.requireNonNull(handler, "handler");
        handlers.put(functionName(Objects.requireNonNull(functionNameOrArn, "functionNameOrArn")), handler);
        return this;
    }

    /** Removes the handler for a function name or ARN, so later invocations fail as not found. */
    public void unregister(String functionNameOrArn) {
        handlers.remove(functionName(functionNameOrArn));
    }

    @Override
    public void invoke(String rotationLambdaArn, RotationStep step) throws Exception {
        StepHandler handler = handlers.get(functionName(rotationLambdaArn));
        if (handler == null) {
            throw new FunctionNotFoundException(rotationLambdaArn);
        }
        handler.handle(step);
    }

    /** The function name inside a Lambda ARN, or the argument itself when it is a plain name. */
    static String functionName(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            if (parts.length >= 7 && "function".equals(parts[5])) {
                return parts[6];
            }
        }
        return nameOrArn;
    }
}
