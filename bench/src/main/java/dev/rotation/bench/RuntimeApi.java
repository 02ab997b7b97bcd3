package dev.rotation.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The part of the Lambda Runtime API (2018-06-01) the runtime interface client uses, for one
 * execution environment: {@code invocation/next} hands out queued events, {@code response} and
 * {@code error} complete them, {@code init/error} fails the environment. Records when the runtime
 * first asked for an event (the end of its init phase).
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final String functionArn;

    /** The outcome of one invocation: the response body, or the error the function reported. */
    record Result(String body, String error, long completedNanos) {
        boolean failed() {
            return error != null;
        }
    }

    private record Pending(String requestId, String event, CompletableFuture<Result> result) {
    }

    RuntimeApi(String functionArn) {
        this.functionArn = functionArn;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes when the function answers. */
    CompletableFuture<Result> invoke(String eventJson) {
        Pending pending = new Pending(UUID.randomUUID().toString(), eventJson, new CompletableFuture<>());
        queue.add(pending);
        initError.thenAccept(error -> pending.result.complete(new Result(null, "init error: " + error, System.nanoTime())));
        return pending.result;
    }

    /** System.nanoTime() of the runtime's first {@code invocation/next}. */
    CompletableFuture<Long> firstNext() {
        return firstNext;
    }

    /** System.nanoTime() of the runtime's {@code restore/next}: under SnapStart, the moment of the snapshot. */
    CompletableFuture<Long> restoreNext() {
        return restoreNext;
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next")) {
                firstNext.complete(System.nanoTime());
                Pending next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                inFlight.put(next.requestId, next);
                byte[] event = next.event.getBytes(StandardCharsets.UTF_8);
                var headers = exchange.getResponseHeaders();
                headers.set("Content-Type", "application/json");
                headers.set("Lambda-Runtime-Aws-Request-Id", next.requestId);
                headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
                headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                exchange.sendResponseHeaders(200, event.length);
                exchange.getResponseBody().write(event);
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                long now = System.nanoTime();
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                Pending pending = inFlight.remove(id);
                exchange.sendResponseHeaders(pending == null ? 404 : 202, -1);
                if (pending != null) {
                    String text = new String(body, StandardCharsets.UTF_8);
                    pending.result.complete(path.endsWith("/response") ? new Result(text, null, now)
                            : new Result(null, text, now));
                }
            } else if (path.equals("restore/next")) {
                // SnapStart: the runtime ran the beforeCheckpoint hooks and waits to be restored; restore at once.
                restoreNext.complete(System.nanoTime());
                exchange.sendResponseHeaders(200, -1);
            } else if (path.equals("init/error") || path.equals("restore/error")) {
                exchange.sendResponseHeaders(202, -1);
                initError.complete(new String(body, StandardCharsets.UTF_8));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
