package dev.rotation.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API (version 2018-06-01) for one execution environment, on loopback: the runtime
 * interface client long-polls {@code /runtime/invocation/next}, answers through
 * {@code /runtime/invocation/{id}/response} or {@code /error}, and reports a failed initialisation
 * through {@code /runtime/init/error}. Under SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start})
 * the client, having run its beforeCheckpoint hooks, calls {@code /runtime/restore/next}, which is
 * answered at once (the snapshot is emulated, not taken), and reports a failed afterRestore hook through
 * {@code /runtime/restore/error}. The moments of the first poll and of the restore are kept, in
 * {@link System#nanoTime()}, for the local runtime's Init Duration and the bench's timings.
 */
public final class RuntimeApiServer implements AutoCloseable {
    static {
        // The JDK HttpServer writes an answer's headers and body in separate packets; with Nagle's algorithm
        // and the runtime client's delayed ACK every answer would wait ~40 ms, which would swamp the
        // invocation times shown and measured. Read once per JVM, when the first JDK HttpServer is
        // created, so set here, before that (an explicit -D setting wins).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String ACCEPTED = "{\"status\":\"OK\"}";

    /**
     * One event for the runtime.
     *
     * @param requestId   Lambda-Runtime-Aws-Request-Id
     * @param payload     the event JSON
     * @param deadlineMs  Lambda-Runtime-Deadline-Ms, epoch milliseconds
     * @param functionArn Lambda-Runtime-Invoked-Function-Arn
     * @param traceId     Lambda-Runtime-Trace-Id
     */
    public record Invocation(String requestId, byte[] payload, long deadlineMs, String functionArn, String traceId) {
        public Invocation {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(functionArn, "functionArn");
            Objects.requireNonNull(traceId, "traceId");
        }
    }

    /**
     * What the runtime posted: a response, or an error body with the error-type header it sent.
     *
     * @param success       true for {@code /response}, false for an error
     * @param body          the posted body
     * @param errorType     the Lambda-Runtime-Function-Error-Type header, or null
     * @param receivedNanos {@link System#nanoTime()} when it arrived
     */
    public record Answer(boolean success, byte[] body, String errorType, long receivedNanos) {
        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Pending(Invocation invocation, CompletableFuture<Answer> answer) {
    }

    private final HttpServer http;
    private final ExecutorService threads;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<Long> restorePoll = new CompletableFuture<>();
    private final CompletableFuture<Answer> initError = new CompletableFuture<>();

    /** Listens on an ephemeral port of the loopback address. */
    public RuntimeApiServer() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the Lambda Runtime API port: " + e.getMessage(), e);
        }
        // A cached pool: a /next long-poll holds its thread until an event arrives.
        threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "lambda-runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** host:port, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort();
    }

    /**
     * Completes with the {@link System#nanoTime()} of the runtime's first {@code invocation/next}: its
     * initialisation is done (after a restore under SnapStart).
     */
    public CompletableFuture<Long> firstPoll() {
        return firstPoll;
    }

    /**
     * Completes with the {@link System#nanoTime()} of the runtime's {@code restore/next} under SnapStart:
     * the moment the snapshot would be taken. Never completes for an on-demand environment.
     */
    public CompletableFuture<Long> restorePoll() {
        return restorePoll;
    }

    /** Completes when the runtime reports that its initialisation (or, under SnapStart, its restore) failed. */
    public CompletableFuture<Answer> initError() {
        return initError;
    }

    /** Queues an event for the runtime's next poll; the future completes with its answer. */
    public CompletableFuture<Answer> submit(Invocation invocation) {
        Pending pending = new Pending(invocation, new CompletableFuture<>());
        queue.add(pending);
        return pending.answer();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long now = System.nanoTime();
            if (!path.startsWith(PREFIX)) {
                reply(exchange, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
                return;
            }
            String rest = path.substring(PREFIX.length());
            String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
            if (method.equals("GET") && rest.equals("invocation/next")) {
                firstPoll.complete(now);
                next(exchange);
            } else if (method.equals("GET") && rest.equals("restore/next")) {
                restorePoll.complete(now);
                exchange.sendResponseHeaders(200, -1);
            } else if (method.equals("POST") && (rest.equals("init/error") || rest.equals("restore/error"))) {
                initError.complete(new Answer(false, body, errorType, now));
                reply(exchange, 202, ACCEPTED);
            } else if (method.equals("POST") && rest.startsWith("invocation/")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                String requestId = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                Pending pending = inFlight.remove(requestId);
                if (pending == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                pending.answer().complete(new Answer(rest.endsWith("/response"), body, errorType, now));
                reply(exchange, 202, ACCEPTED);
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Pending pending;
        try {
            pending = queue.take();
        } catch (InterruptedException e) {
            // close(): the environment is going away, and so is the runtime polling it.
            Thread.currentThread().interrupt();
            return;
        }
        Invocation invocation = pending.invocation();
        // In flight only once handed out: the runtime can answer only an event it has received.
        inFlight.put(invocation.requestId(), pending);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        exchange.sendResponseHeaders(200, invocation.payload().length == 0 ? -1 : invocation.payload().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.payload());
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops listening and ends a pending long-poll. */
    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
