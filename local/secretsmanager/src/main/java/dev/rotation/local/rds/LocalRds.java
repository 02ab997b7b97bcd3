package dev.rotation.local.rds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small stand-in for the RDS API's two read calls the rotation functions make, on loopback: the
 * Query protocol's {@code DescribeDBInstances} and {@code DescribeDBClusters} by identifier or ARN,
 * answered from the DB instances and clusters registered with {@link #putInstance} and
 * {@link #putCluster}, in the service's XML shapes (errors too: {@code DBInstanceNotFound},
 * {@code DBClusterNotFoundFault}). It checks that each request is SigV4-signed for the service
 * {@code rds} (not the signature itself) and records each request for tests.
 *
 * <pre>{@code
 * try (LocalRds rds = LocalRds.start()) {
 *     rds.putInstance("arn:aws:rds:us-east-1:123456789012:db:app", "127.0.0.1", 5432);
 *     // functions: RDS_ENDPOINT=rds.endpoint()
 * }
 * }</pre>
 */
public final class LocalRds implements AutoCloseable {
    static {
        // The JDK HttpServer writes headers and body in separate packets: without TCP_NODELAY each answer
        // waits for the client's delayed ACK (~40 ms). Read once per JVM, when the first JDK HttpServer is
        // created, so every class that creates one sets it first (as RuntimeApiServer does; -D wins).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";

    /** One request as received. */
    public record Request(String action, String identifier, String authorization) {
    }

    private record Endpoint(String address, int port) {
    }

    private final HttpServer server;
    private final Map<String, Endpoint> instances = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> clusters = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private LocalRds(HttpServer server) {
        this.server = server;
    }

    /** Starts on an ephemeral port of the loopback address. */
    public static LocalRds start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            LocalRds rds = new LocalRds(server);
            server.createContext("/", rds::handle);
            server.start();
            return rds;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local RDS API", e);
        }
    }

    /** The URL to give the functions as {@code RDS_ENDPOINT}. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    /** Registers a DB instance by its ARN; lookups by ARN or by its identifier (the ARN's last part) find it. */
    public LocalRds putInstance(String arn, String address, int port) {
        instances.put(arn, new Endpoint(address, port));
        return this;
    }

    /** Registers a DB cluster by its ARN, with its writer endpoint. */
    public LocalRds putCluster(String arn, String writerEndpoint, int port) {
        clusters.put(arn, new Endpoint(writerEndpoint, port));
        return this;
    }

    /** Every request received so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String action = form.getOrDefault("Action", "");
            boolean cluster = action.equals("DescribeDBClusters");
            String identifier = form.get(cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier");
            requests.add(new Request(action, identifier, authorization));
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
                    || !authorization.contains("/rds/aws4_request")) {
                error(exchange, 403, "IncompleteSignature", "The request must be signed with SigV4 for the service rds.");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !form.getOrDefault("Version", "").equals("2014-10-31")
                    || !(cluster || action.equals("DescribeDBInstances"))) {
                error(exchange, 400, "InvalidAction", "This stand-in answers DescribeDBInstances and DescribeDBClusters,"
                        + " version 2014-10-31, by POST.");
                return;
            }
            Endpoint endpoint = identifier == null ? null : find(cluster ? clusters : instances, identifier);
            if (endpoint == null) {
                if (cluster) {
                    error(exchange, 404, "DBClusterNotFoundFault", "DBCluster " + identifier + " not found.");
                } else {
                    error(exchange, 404, "DBInstanceNotFound", "DBInstance " + identifier + " not found.");
                }
                return;
            }
            String result = cluster
                    ? "<DBClusters><DBCluster><DBClusterIdentifier>" + xml(lastPart(identifier)) + "</DBClusterIdentifier>"
                            + "<Status>available</Status><Endpoint>" + xml(endpoint.address()) + "</Endpoint>"
                            + "<Port>" + endpoint.port() + "</Port></DBCluster></DBClusters>"
                    : "<DBInstances><DBInstance><DBInstanceIdentifier>" + xml(lastPart(identifier))
                            + "</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><Endpoint><Address>"
                            + xml(endpoint.address()) + "</Address><Port>" + endpoint.port() + "</Port></Endpoint>"
                            + "</DBInstance></DBInstances>";
            send(exchange, 200, "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>" + result
                    + "</" + action + "Result><ResponseMetadata><RequestId>" + java.util.UUID.randomUUID()
                    + "</RequestId></ResponseMetadata></" + action + "Response>");
        }
    }

    private static Endpoint find(Map<String, Endpoint> registered, String identifier) {
        Endpoint byArn = registered.get(identifier);
        if (byArn != null) {
            return byArn;
        }
        return registered.entrySet().stream().filter(e -> lastPart(e.getKey()).equals(identifier)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static String lastPart(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + java.util.UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String xml(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
