package dev.rotation.testkit.contract;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The rotation handler a contract test drives: built lazily from the function's configuration,
 * rebuilt when the configuration changes, with every log line and every exception it threw
 * recorded for the test's checks.
 */
public final class HandlerUnderTest {
    /** Every JSON line the handler logged. */
    public final List<String> logLines = new CopyOnWriteArrayList<>();
    /** Every exception the handler threw, however it was invoked. */
    public final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private final BiFunction<Map<String, String>, Consumer<String>, RequestHandler<SecretsManagerRotationEvent, Void>> factory;
    private final Map<String, String> environment = LocalRotationWorld.initialEnvironment();
    private RequestHandler<SecretsManagerRotationEvent, Void> handler;

    /** @param factory builds the handler from its environment and log sink */
    public HandlerUnderTest(
            BiFunction<Map<String, String>, Consumer<String>, RequestHandler<SecretsManagerRotationEvent, Void>> factory) {
        this.factory = factory;
    }

    /** Changes the function's configuration for the invocations that follow. */
    public synchronized void environment(String name, String value) {
        environment.put(name, value);
        handler = null;
    }

    private synchronized RequestHandler<SecretsManagerRotationEvent, Void> handler() {
        if (handler == null) {
            handler = factory.apply(Map.copyOf(environment), logLines::add);
        }
        return handler;
    }

    /** Invokes one step the way Lambda does; records and rethrows what the handler throws. */
    public void invoke(String step, String secretArn, String token) {
        try {
            handler().handleRequest(LocalRotationWorld.event(step, secretArn, token), null);
        } catch (RuntimeException | Error e) {
            thrown.add(e);
            throw e;
        }
    }
}
