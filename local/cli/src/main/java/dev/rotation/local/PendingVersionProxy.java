package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * What {@code RotateSecret} does before it invokes the function, for {@code invoke --secret-id}: a new
 * token whose version holds {@code AWSPENDING} and no value yet. The service's API has no call that
 * makes such a version (PutSecretValue needs a value), so the function talks to this loopback proxy
 * in front of the local Secrets Manager: every request passes through unchanged, except that until the
 * token's version exists (the function's createSecret puts it), DescribeSecret of the rotated secret
 * shows the token with {@code AWSPENDING}, as the service shows its placeholder version, and the label
 * on no other version. GetSecretValue of the token meanwhile answers ResourceNotFoundException, as
 * for the placeholder. Requests keep their signature, which names this proxy's address: a server that
 * checks signatures ({@code serve --iam}) refuses them.
 */
final class PendingVersionProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the JDK's client sets itself, or refuses to be given. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final String secretArn;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpServer server;

    PendingVersionProxy(URI upstream, String secretArn, String token) {
        this.upstream = upstream;
        this.secretArn = secretArn;
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "invoke-secrets-manager-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    /** The endpoint the function is given instead of the server's. */
    URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getRawPath()))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            byte[] answer = response.body();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (response.statusCode() == 200 && "secretsmanager.DescribeSecret".equals(target)) {
                answer = withPendingToken(answer);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** The rotated secret's description with the token's placeholder, while its version does not exist. */
    private byte[] withPendingToken(byte[] answer) throws IOException {
        JsonNode description = JSON.readTree(answer);
        if (!(description instanceof ObjectNode object) || !secretArn.equals(object.path("ARN").asText())) {
            return answer;
        }
        JsonNode versions = object.get("VersionIdsToStages");
        ObjectNode stages = versions instanceof ObjectNode o ? o : object.putObject("VersionIdsToStages");
        if (stages.has(token)) {
            return answer;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = stages.fields(); it.hasNext(); ) {
            JsonNode labels = it.next().getValue();
            if (labels instanceof ArrayNode array) {
                for (int i = array.size() - 1; i >= 0; i--) {
                    if ("AWSPENDING".equals(array.get(i).asText())) {
                        array.remove(i);
                    }
                }
            }
        }
        stages.putArray(token).add("AWSPENDING");
        return JSON.writeValueAsBytes(object);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
