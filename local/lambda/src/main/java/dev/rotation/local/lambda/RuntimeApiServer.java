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
 * through {@code /runtime/init/error}.
 */
final class RuntimeApiServer implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** One event handed to the runtime; {@code done} completes with its answer. */
    record Invocation(String requestId, byte[] payload, long deadlineMs, String functionArn, String traceId,
                      CompletableFuture<Answer> done) {
    }

    /** The runtime's answer: a response body, or an error body with its error-type header. */
    record Answer(boolean success, byte[] body, String errorTypeHeader) {
    }

    private final HttpServer http;
    private final ExecutorService threads;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<Answer> initError = new CompletableFuture<>();

    RuntimeApiServer() {
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
    String address() {
        return http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort();
    }

    /** Completes when the runtime first asks for an event, i.e. when its initialisation is done. */
    CompletableFuture<Void> firstPoll() {
        return firstPoll;
    }

    /** Completes when the runtime reports that its initialisation failed. */
    CompletableFuture<Answer> initError() {
        return initError;
    }

    void submit(Invocation invocation) {
        inFlight.put(invocation.requestId(), invocation);
        queue.add(invocation);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!path.startsWith(PREFIX)) {
                reply(exchange, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
                return;
            }
            String rest = path.substring(PREFIX.length());
            String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
            if (method.equals("GET") && rest.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && rest.equals("init/error")) {
                initError.complete(new Answer(false, body, errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && rest.startsWith("invocation/")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                String requestId = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                Invocation invocation = inFlight.remove(requestId);
                if (invocation == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                invocation.done().complete(new Answer(rest.endsWith("/response"), body, errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(null);
        Invocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
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

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
