package dev.rotation.local.lambda;

import java.time.Duration;
import java.util.Optional;

/**
 * What one invocation returned, as Lambda reports it.
 *
 * @param requestId    the invocation's request id
 * @param success      true when the function returned normally
 * @param payload      the response JSON, or the error JSON ({@code errorMessage}, {@code errorType}, ...)
 * @param errorType    the error's type (e.g. {@code java.lang.IllegalStateException}), null on success
 * @param errorMessage the error's message, null on success
 * @param initError    true when the function failed before it could take an event
 * @param initDuration the cold start (process start to the runtime's first poll) when this invocation
 *                     started the environment; empty when the environment was warm
 * @param duration     the invocation itself, from handing over the event to the answer
 */
public record InvocationResult(String requestId, boolean success, String payload, String errorType,
                               String errorMessage, boolean initError, Optional<Duration> initDuration,
                               Duration duration) {
}
