package dev.rotation.local.lambda;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The functions of a SAM template, invoked as Lambda invokes them: each invocation takes a warm
 * {@link ExecutionEnvironment} of its function if one is idle, else starts one (a cold start); an
 * environment idle longer than the idle timeout is stopped. Concurrent invocations of one function get
 * environments of their own.
 *
 * <pre>{@code
 * try (LocalFunctions functions = LocalFunctions.builder(SamTemplate.read(path, "us-east-1", Map.of()))
 *         .environmentOverrides(Map.of("SECRETS_MANAGER_ENDPOINT", endpoint))
 *         .build()) {
 *     InvocationResult result = functions.invoke("rds-rotation-mysql", eventBytes);
 * }
 * }</pre>
 */
public final class LocalFunctions implements AutoCloseable {
    /** How long an idle environment stays warm unless configured otherwise. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final SamTemplate template;
    private final EnvVarsFile envVars;
    private final Map<String, String> overrides;
    private final String region;
    private final Duration idleTimeout;
    private final BiConsumer<FunctionDefinition, String> logs;
    private final Map<String, Deque<Idle>> idle = new HashMap<>();
    private final ScheduledExecutorService reaper;
    private boolean closed;

    private record Idle(ExecutionEnvironment environment, long since) {
    }

    private LocalFunctions(Builder b) {
        this.template = b.template;
        this.envVars = b.envVars;
        this.overrides = Map.copyOf(b.overrides);
        this.region = b.region;
        this.idleTimeout = b.idleTimeout;
        this.logs = b.logs;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lambda-idle-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, idleTimeout.toMillis() / 4);
        reaper.scheduleAtFixedRate(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    public static Builder builder(SamTemplate template) {
        return new Builder(template);
    }

    public SamTemplate template() {
        return template;
    }

    /** The function as it will run: the template's definition with the env-vars file and overrides applied. */
    public FunctionDefinition resolve(String nameOrArn) {
        FunctionDefinition function = envVars.apply(template.function(nameOrArn));
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        environment.putAll(overrides);
        return function.withEnvironment(environment);
    }

    /** Invokes the function (logical id, FunctionName or ARN) synchronously with a JSON event. */
    public InvocationResult invoke(String nameOrArn, byte[] payload) {
        FunctionDefinition function = resolve(nameOrArn);
        ExecutionEnvironment environment = take(function);
        InvocationResult result;
        try {
            result = environment.invoke(payload);
        } catch (RuntimeException e) {
            environment.close();
            throw e;
        }
        give(function, environment);
        return result;
    }

    private ExecutionEnvironment take(FunctionDefinition function) {
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            Deque<Idle> warm = idle.computeIfAbsent(function.logicalId(), k -> new ArrayDeque<>());
            while (!warm.isEmpty()) {
                ExecutionEnvironment environment = warm.pollFirst().environment();
                // A definition changed by new overrides must not reuse an environment started with the old one.
                if (environment.alive() && environment.function().equals(function)) {
                    return environment;
                }
                environment.close();
            }
        }
        return ExecutionEnvironment.start(function, region, line -> logs.accept(function, line));
    }

    private void give(FunctionDefinition function, ExecutionEnvironment environment) {
        synchronized (idle) {
            if (!closed && environment.alive()) {
                idle.computeIfAbsent(function.logicalId(), k -> new ArrayDeque<>())
                        .addFirst(new Idle(environment, System.nanoTime()));
                return;
            }
        }
        environment.close();
    }

    private void reap() {
        List<ExecutionEnvironment> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (idle) {
            for (Deque<Idle> warm : idle.values()) {
                warm.removeIf(i -> {
                    boolean old = now - i.since() > idleTimeout.toNanos() || !i.environment().alive();
                    if (old) {
                        expired.add(i.environment());
                    }
                    return old;
                });
            }
        }
        expired.forEach(ExecutionEnvironment::close);
    }

    /** Stops every environment. Idempotent. */
    @Override
    public void close() {
        List<ExecutionEnvironment> all = new ArrayList<>();
        synchronized (idle) {
            closed = true;
            idle.values().forEach(d -> d.forEach(i -> all.add(i.environment())));
            idle.clear();
        }
        reaper.shutdownNow();
        all.forEach(ExecutionEnvironment::close);
    }

    public static final class Builder {
        private final SamTemplate template;
        private EnvVarsFile envVars = EnvVarsFile.empty();
        private Map<String, String> overrides = Map.of();
        private String region = "us-east-1";
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private BiConsumer<FunctionDefinition, String> logs = (f, line) -> System.err.println(line);

        private Builder(SamTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
        }

        public Builder envVars(EnvVarsFile file) {
            this.envVars = Objects.requireNonNull(file);
            return this;
        }

        /** Variables set last, over the template and the env-vars file (serve points SECRETS_MANAGER_ENDPOINT at itself). */
        public Builder environmentOverrides(Map<String, String> variables) {
            this.overrides = new LinkedHashMap<>(variables);
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Where the functions' log lines go (default: stderr). */
        public Builder logs(BiConsumer<FunctionDefinition, String> sink) {
            this.logs = Objects.requireNonNull(sink);
            return this;
        }

        public LocalFunctions build() {
            return new LocalFunctions(this);
        }
    }
}
