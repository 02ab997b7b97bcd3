package dev.rotation.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One warm Lambda execution environment: a child JVM running the official runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}) with the function's handler as
 * its argument, the function's code unpacked in its working directory, and the environment variables
 * Lambda sets, talking to its own {@link RuntimeApiServer}. Invocations run one at a time, as in Lambda.
 */
public final class ExecutionEnvironment implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's limit for the init phase of an on-demand function. */
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);

    private final FunctionDefinition function;
    private final String region;
    private final RuntimeApiServer api;
    private final Process process;
    private final long startNanos;
    private final List<LogPump> pumps = new ArrayList<>();
    private Duration initDuration;
    private boolean initReported;
    private volatile boolean closed;

    private ExecutionEnvironment(FunctionDefinition function, String region, Consumer<String> logs) {
        this.function = function;
        this.region = region;
        Path taskRoot = RuntimeFiles.taskRoot(function.codeUri());
        List<Path> runtimeJars = RuntimeFiles.runtimeJars();
        this.api = new RuntimeApiServer();
        LambdaLaunch launch = new LambdaLaunch(function.functionName(), function.handler(), function.runtime(),
                function.memoryMb(), taskRoot);
        List<String> command = launch.javaCommand();
        command.add("-Xshare:auto");
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + RuntimeFiles.jniLibrary(runtimeJars));
        command.add("-classpath");
        command.add(String.join(java.io.File.pathSeparator, runtimeJars.stream().map(Path::toString).toList()));
        command.add(LambdaLaunch.RUNTIME_CLIENT_MAIN);
        command.add(function.handler());
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        env.putAll(launch.environment(taskRoot, region,
                "local/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""), path));
        // Dummy credentials: the local Secrets Manager accepts any signature.
        env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "local-secret-access-key");
        env.put("AWS_SESSION_TOKEN", "local-session-token");
        env.putAll(function.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        this.startNanos = System.nanoTime();
        try {
            this.process = builder.start();
        } catch (IOException e) {
            api.close();
            throw new IllegalStateException("cannot start a JVM for " + function.functionName() + ": " + e.getMessage(), e);
        }
        pumps.add(new LogPump(process.getInputStream(), logs, function.functionName() + "-stdout"));
        pumps.add(new LogPump(process.getErrorStream(), logs, function.functionName() + "-stderr"));
    }

    /** Starts a child JVM for the function; its log lines (stdout and stderr) go to {@code logs}. */
    public static ExecutionEnvironment start(FunctionDefinition function, String region, Consumer<String> logs) {
        return new ExecutionEnvironment(function, region, logs);
    }

    /** The function this environment runs. */
    public FunctionDefinition function() {
        return function;
    }

    /** True while the child JVM runs and can take another event. */
    public boolean alive() {
        return !closed && process.isAlive();
    }

    /**
     * Runs one event and waits for the answer, at most the function's Timeout (plus the init phase on a cold
     * start). A timed-out or crashed environment is destroyed, as Lambda resets it.
     */
    public synchronized InvocationResult invoke(byte[] payload) {
        String requestId = UUID.randomUUID().toString();
        if (!alive()) {
            return failure(requestId, "Runtime.ExitError", "the execution environment is gone", false, Duration.ZERO);
        }
        if (!initReported && initDuration == null) {
            InvocationResult failedInit = awaitInit(requestId);
            if (failedInit != null) {
                close();
                return failedInit;
            }
        }
        Optional<Duration> init = Optional.empty();
        if (!initReported) {
            initReported = true;
            init = Optional.of(initDuration);
        }
        long deadline = System.currentTimeMillis() + function.timeout().toMillis();
        RuntimeApiServer.Invocation invocation = new RuntimeApiServer.Invocation(requestId, payload, deadline,
                function.arn(region), "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24) + ";Parent="
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ";Sampled=0");
        long started = System.nanoTime();
        CompletableFuture<RuntimeApiServer.Answer> done = api.submit(invocation);
        RuntimeApiServer.Answer answer;
        try {
            Object first = CompletableFuture.anyOf(done, process.onExit())
                    .get(function.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!(first instanceof RuntimeApiServer.Answer a)) {
                drainLogs();
                close();
                return withInit(failure(requestId, "Runtime.ExitError", "the runtime exited with code "
                        + process.exitValue() + " during the invocation", false, since(started)), init);
            }
            answer = a;
        } catch (TimeoutException e) {
            close();
            return withInit(failure(requestId, "Sandbox.Timedout", String.format("Task timed out after %.2f seconds",
                    function.timeout().toMillis() / 1000.0), false, since(started)), init);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return withInit(failure(requestId, "Runtime.Interrupted", "the invocation was interrupted", false,
                    since(started)), init);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        Duration duration = Duration.ofNanos(answer.receivedNanos() - started);
        drainLogs();
        String body = answer.bodyText();
        if (answer.success()) {
            return new InvocationResult(requestId, true, body, null, null, false, init, duration);
        }
        return errorResult(requestId, body, answer.errorType(), false, init, duration);
    }

    /** Waits for the first poll; returns the failure when the runtime could not initialise, else null. */
    private InvocationResult awaitInit(String requestId) {
        Duration limit = INIT_TIMEOUT.compareTo(function.timeout()) > 0 ? INIT_TIMEOUT : function.timeout();
        try {
            Object first = CompletableFuture.anyOf(api.firstPoll(), api.initError(), process.onExit())
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (api.initError().isDone()) {
                RuntimeApiServer.Answer answer = api.initError().join();
                process.onExit().get(5, TimeUnit.SECONDS);
                drainLogs();
                return errorResult(requestId, answer.bodyText(), answer.errorType(), true,
                        Optional.of(Duration.ofNanos(answer.receivedNanos() - startNanos)), Duration.ZERO);
            }
            if (first instanceof Process) {
                drainLogs();
                return failure(requestId, "Runtime.ExitError", "the runtime exited with code " + process.exitValue()
                        + " before it asked for an event", true, Duration.ZERO);
            }
            initDuration = Duration.ofNanos(api.firstPoll().join() - startNanos);
            return null;
        } catch (TimeoutException e) {
            if (api.initError().isDone()) {
                RuntimeApiServer.Answer answer = api.initError().join();
                drainLogs();
                return errorResult(requestId, answer.bodyText(), answer.errorType(), true, Optional.of(limit),
                        Duration.ZERO);
            }
            return failure(requestId, "Sandbox.Timedout", "the runtime did not initialise within "
                    + limit.toSeconds() + " s", true, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(requestId, "Runtime.Interrupted", "interrupted during init", true, Duration.ZERO);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static InvocationResult errorResult(String requestId, String body, String header, boolean init,
                                                Optional<Duration> initDuration, Duration duration) {
        String type = header;
        String message = body;
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                type = json.path("errorType").asText(header);
                message = json.path("errorMessage").asText("");
            }
        } catch (IOException e) {
            // Not JSON: keep the raw body as the message.
        }
        // The runtime reports a handler it cannot load (class or method missing) when the first event
        // arrives, flagged Runtime.BadFunctionCode: that is the function's init failing, not its code.
        boolean handlerNotLoaded = "Runtime.BadFunctionCode".equals(header);
        return new InvocationResult(requestId, false, body, type == null ? "Unknown" : type, message,
                init || handlerNotLoaded, initDuration, duration);
    }

    private static InvocationResult failure(String requestId, String type, String message, boolean init,
                                            Duration duration) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("errorType", type, "errorMessage", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new InvocationResult(requestId, false, body, type, message, init, Optional.empty(), duration);
    }

    private static InvocationResult withInit(InvocationResult result, Optional<Duration> init) {
        return new InvocationResult(result.requestId(), result.success(), result.payload(), result.errorType(),
                result.errorMessage(), result.initError(), init, result.duration());
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Lets the log pumps catch up with what the child wrote before it answered, so that an invocation's log
     * lines are printed before its result. Bounded: a child that keeps writing cannot hold us.
     */
    private void drainLogs() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long quiet = TimeUnit.MILLISECONDS.toNanos(2);
        for (LogPump pump : pumps) {
            long idleSince = -1;
            while (System.nanoTime() < deadline) {
                if (!pump.idle()) {
                    idleSince = -1;
                } else if (idleSince < 0) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince >= quiet) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Stops the child JVM and the Runtime API endpoint. Idempotent. */
    @Override
    public void close() {
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        api.close();
    }

    /** Forwards a child stream line by line; knows whether it has consumed everything written so far. */
    private static final class LogPump implements Runnable {
        private final InputStream in;
        private final Consumer<String> sink;
        private volatile boolean reading;
        private volatile boolean finished;

        LogPump(InputStream in, Consumer<String> sink, String name) {
            this.in = in;
            this.sink = sink;
            Thread thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** True while the pump waits for more output (the stream's own available() would block on its lock). */
        boolean idle() {
            return finished || !reading;
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                while (true) {
                    int n = in.read(buffer);
                    reading = true;
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            sink.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else if (buffer[i] != '\r') {
                            line.write(buffer[i]);
                        }
                    }
                    reading = false;
                }
            } catch (IOException e) {
                // The child is gone; nothing more to forward.
            } finally {
                if (line.size() > 0) {
                    sink.accept(line.toString(StandardCharsets.UTF_8));
                }
                finished = true;
                reading = false;
            }
        }
    }
}
