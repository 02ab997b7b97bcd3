package dev.rotation.shared;

import dev.rotation.secret.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The training run of the container image's AOT cache: a whole single-user rotation (createSecret,
 * setSecret, testSecret, finishSecret) of the function named by its Handler, with the function's own
 * Secrets Manager client (the SDK, the url-connection HTTP client, signing with credentials from the
 * environment map) against a canned Secrets Manager on this process's loopback interface, and a stub
 * login: the engine's description and driver classes are the real ones (loaded as priming loads
 * them), but no connection leaves the process. No network beyond loopback, no credentials, no
 * secret: every value is canned ({@link #cannedValues()}), built at run time so that no class
 * constant holds it, and the JVM's AOT cache records classes, linkage and profiles, not this heap.
 *
 * <pre>
 * java &lt;the image's JVM options&gt; -XX:AOTCacheOutput=function.aot -cp &lt;the image's class path&gt; \
 *     dev.rotation.shared.Training dev.rotation.postgres.PostgresRotationHandler
 * </pre>
 *
 * (image/lambda-java runs exactly that, in the image build and in the bench). Exits 0 after the
 * rotation completed as the real one does (the pending version current, the stub database holding
 * its password), 1 otherwise, 2 on a usage error. It prints no value of the rotation.
 *
 * <p>Not reachable from any handler: a build-time main class. The stub login's JDBC connection is a
 * {@link Proxy}; the functions themselves use no reflection beyond what the runtime client needs.
 */
public final class Training {
    private static final String REGION = "us-east-1";
    private static final String ARN = "arn:aws:secretsmanager:" + REGION + ":123456789012:secret:training-TrAiNs";
    private static final String CURRENT = "00000000-0000-4000-8000-00000000000c";
    private static final String TOKEN = "00000000-0000-4000-8000-00000000000d";
    /** Where the runtime interface client finds the Lambda Runtime API (host:port). */
    static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";
    private static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The training's handler, for {@link Function}: set before the runtime client starts. */
    private static volatile RotationHandler trained;

    private Training() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank()) {
            System.err.println("usage: java -cp <function jar> dev.rotation.shared.Training <Handler class>");
            System.exit(2);
            return;
        }
        String runtimeApi = System.getenv(RUNTIME_API);
        Optional<String> failure = runtimeApi == null || runtimeApi.isBlank() ? run(args[0], null) : run(args[0], runtimeApi);
        if (failure.isPresent()) {
            System.err.println("training failed: " + failure.get());
            System.exit(1);
            return;
        }
        System.out.println("training: a whole rotation of " + args[0] + " against canned answers completed");
        System.exit(0);
    }

    /**
     * Runs the training rotation for the Lambda handler class {@code handlerClass}: called directly,
     * or, with {@code runtimeApi} (host:port on loopback, as image/lambda-java's training sets
     * {@value #RUNTIME_API}), through the runtime interface client on the class path, which takes the
     * four events from a Lambda Runtime API served here, as it takes them in Lambda, so its own
     * classes are trained too. Under the runtime client this never returns: the JVM exits after the
     * fourth answer, with status 0 if the rotation completed.
     *
     * @return what failed, if anything (never a value of the rotation)
     */
    public static Optional<String> run(String handlerClass, String runtimeApi) {
        DatabaseEngine engine;
        try {
            // As the runtime client does: the handler's public no-argument constructor, which
            // registers its priming (and through it, its engine).
            Class.forName(handlerClass).getConstructor().newInstance();
            engine = Priming.registeredEngine().orElseThrow(() -> new IllegalStateException(
                    handlerClass + " registered no priming: not one of the rotation handlers"));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.of("cannot create " + handlerClass + ": " + e.getClass().getSimpleName());
        }
        // The driver's login classes, loaded and initialized as priming loads them (no connection).
        Optional<String> driver = Priming.registered().flatMap(Priming::primeDriver);
        if (driver.isPresent()) {
            return Optional.of("the driver's login classes: " + driver.get());
        }
        List<String> values = cannedValues();
        StubDatabase database = new StubDatabase(engine, values.get(2), values.get(0));
        try (CannedSecretsManager service = new CannedSecretsManager(currentSecret(engine, values), values.get(1))) {
            Map<String, String> environment = Map.of(
                    "AWS_REGION", REGION,
                    SecretsManagerClients.SECRETS_MANAGER_ENDPOINT, service.endpoint(),
                    "AWS_ACCESS_KEY_ID", "TRAINING",
                    "AWS_SECRET_ACCESS_KEY", "TRAINING",
                    "AWS_SESSION_TOKEN", "TRAINING");
            AtomicInteger logLines = new AtomicInteger();
            try (SecretsManagerClient client = SecretsManagerClients.create(environment)) {
                RotationHandler handler = new SingleUserRotationHandler(client, environment, database,
                        line -> logLines.incrementAndGet());
                Supplier<Optional<String>> outcome = () -> outcome(service, database, logLines);
                if (runtimeApi != null) {
                    return underRuntimeClient(handlerClass, handler, runtimeApi, outcome, values);
                }
                for (String event : events()) {
                    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                            new ByteArrayOutputStream(), null);
                }
                return outcome.get();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of(scrubbed(e, values));
        }
    }

    private static String scrubbed(Throwable e, List<String> values) {
        String text = e.getClass().getSimpleName() + " " + SecretScrubber.printable(String.valueOf(e.getMessage()));
        for (String value : values) {
            text = text.replace(value, "*");
        }
        return text;
    }

    private static List<String> events() {
        List<String> events = new ArrayList<>();
        for (RotationStep step : RotationStep.values()) {
            events.add("{\"Step\":\"" + step.eventName() + "\",\"SecretId\":\"" + ARN + "\",\"ClientRequestToken\":\""
                    + TOKEN + "\"}");
        }
        return events;
    }

    private static Optional<String> outcome(CannedSecretsManager service, StubDatabase database, AtomicInteger logLines) {
        if (!service.currentIsToken()) {
            return Optional.of("the rotation did not make the pending version AWSCURRENT");
        }
        if (!database.holds(service.pendingPassword())) {
            return Optional.of("the rotation did not change the stub database's password");
        }
        if (database.logins() != 3 || logLines.get() == 0) {
            return Optional.of("the rotation logged in " + database.logins() + " times (expected 3)");
        }
        return Optional.empty();
    }

    /**
     * The four events through the runtime interface client: a Runtime API on {@code runtimeApi} hands
     * them to {@link Function}, the handler the client is started with, and ends the JVM after the
     * last answer (the AOT cache is written as the JVM exits).
     */
    private static Optional<String> underRuntimeClient(String handlerClass, RotationHandler handler, String runtimeApi,
            Supplier<Optional<String>> outcome, List<String> values) throws IOException {
        Class<?> client;
        try {
            client = Class.forName(RUNTIME_CLIENT_MAIN);
        } catch (ClassNotFoundException e) {
            return Optional.of(RUNTIME_API + " is set but the runtime interface client is not on the class path");
        }
        trained = handler;
        int port = Integer.parseInt(runtimeApi.substring(runtimeApi.lastIndexOf(':') + 1));
        List<String> events = events();
        List<String> failures = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        LoopbackServer api = new LoopbackServer(port, "training-runtime-api", (method, path, body) -> {
            if (path.endsWith("/invocation/next")) {
                int index = next.getAndIncrement();
                if (index >= events.size()) {
                    Optional<String> failure = failures.isEmpty() ? outcome.get() : Optional.of(String.join("; ", failures));
                    System.out.println(failure.map(f -> "training failed: " + f).orElse("training: a whole rotation of "
                            + handlerClass + " through the runtime interface client against canned answers completed"));
                    System.out.flush();
                    // The JVM writes the AOT cache as it exits.
                    System.exit(failure.isPresent() ? 1 : 0);
                }
                return new Answer("200 OK", "Lambda-Runtime-Aws-Request-Id: training-" + index
                        + "\r\nLambda-Runtime-Deadline-Ms: " + (System.currentTimeMillis() + 60_000)
                        + "\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:" + REGION + ":123456789012:function:training"
                        + "\r\nLambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000;Sampled=0\r\n",
                        events.get(index));
            }
            if (path.endsWith("/error")) {
                failures.add("the function answered " + path.substring(path.lastIndexOf('/', path.length() - 7) + 1)
                        + " with an error");
            }
            return new Answer("202 Accepted", "", "{\"status\":\"OK\"}");
        });
        try {
            client.getMethod("main", String[].class).invoke(null, (Object) new String[] {Function.class.getName()});
            return Optional.of("the runtime interface client returned");
        } catch (ReflectiveOperationException e) {
            return Optional.of("the runtime interface client failed: " + scrubbed(e.getCause() == null ? e : e.getCause(), values));
        } finally {
            api.close();
        }
    }

    /**
     * The canned values the training's secret holds: the current password, the password the canned
     * GetRandomPassword answers, the user name and the host. Built at run time (no class constant holds
     * them), so the AOT cache, which keeps classes and their constants, cannot hold them; the training
     * test scans the cache for each.
     */
    public static List<String> cannedValues() {
        List<String> values = new ArrayList<>();
        for (String part : new String[] {"current", "pending", "user", "host"}) {
            StringBuilder value = new StringBuilder("trn");
            for (int i = 0; i < 29; i++) {
                value.append((char) ('a' + (part.charAt(i % part.length()) * 7 + i * 13) % 26));
            }
            values.add(value.toString());
        }
        values.set(3, values.get(3) + ".invalid");
        return List.copyOf(values);
    }

    private static String currentSecret(DatabaseEngine engine, List<String> values) {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("engine", engine.description().secretValues().get(0));
        secret.put("host", values.get(3));
        secret.put("port", engine.description().defaultPort());
        secret.put("username", values.get(2));
        secret.put("password", values.get(0));
        secret.put("dbname", "training");
        return Json.write(secret);
    }

    /**
     * The stub login: one user whose password is really checked, TLS offered, every connection a
     * stub that answers {@code SELECT 1}; the engine's description (and so its password rules) is the
     * real one, and the password change is done here instead of through the engine's driver calls.
     */
    private static final class StubDatabase implements DatabaseEngine {
        private final DatabaseEngine engine;
        private final String username;
        private String password;
        private int logins;

        StubDatabase(DatabaseEngine engine, String username, String password) {
            this.engine = engine;
            this.username = username;
            this.password = password;
        }

        boolean holds(String expected) {
            return expected != null && expected.equals(password);
        }

        int logins() {
            return logins;
        }

        @Override
        public EngineDescription description() {
            return engine.description();
        }

        @Override
        public Connection connect(ConnectRequest request) throws SQLException {
            logins++;
            if (!request.secret().username().equals(username) || !holds(request.secret().password())) {
                throw new SQLException("authentication refused", "28000");
            }
            return stub(Connection.class);
        }

        @Override
        public LoginFailure classify(SQLException failure) {
            return "28000".equals(failure.getSQLState()) ? LoginFailure.AUTHENTICATION : LoginFailure.OTHER;
        }

        @Override
        public PasswordChange changeOwnPassword(PasswordChangeRequest request) {
            password = request.newPassword();
            return new PasswordChange("the training's stub login");
        }

        private static <T> T stub(Class<T> type) {
            return type.cast(Proxy.newProxyInstance(Training.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createStatement" -> stub(Statement.class);
                        case "execute", "isValid" -> true;
                        case "isClosed" -> false;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "TrainingStub";
                        default -> null;
                    }));
        }
    }

    /** The handler the runtime interface client runs in the training: the training's rotation handler. */
    public static final class Function implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            trained.handleRequest(input, output, context);
        }
    }

    /** One HTTP answer: the status line's rest, extra header lines (each ending in CRLF), the body. */
    private record Answer(String status, String headers, String body) {
    }

    /**
     * A small HTTP/1.1 server on 127.0.0.1 (keep-alive, Content-Length bodies, Expect: 100-continue),
     * one connection at a time, answering each request with {@code exchange}.
     */
    private static final class LoopbackServer implements AutoCloseable {
        interface Exchange {
            Answer answer(String method, String path, byte[] body);
        }

        private final ServerSocket socket;
        private final Exchange exchange;

        LoopbackServer(int port, String name, Exchange exchange) throws IOException {
            this.socket = new ServerSocket(port, 8, InetAddress.getLoopbackAddress());
            this.exchange = exchange;
            Thread thread = new Thread(this::serve, name);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    InputStream in = new BufferedInputStream(connection.getInputStream());
                    OutputStream out = connection.getOutputStream();
                    while (exchange(in, out)) {
                        // keep-alive: the next request on the same connection
                    }
                } catch (SocketException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // the client sees a closed connection and fails its step: the training reports that
                }
            }
        }

        /** One request and its answer; false at the end of the connection. */
        private boolean exchange(InputStream in, OutputStream out) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return false;
            }
            String[] parts = requestLine.split(" ");
            int length = 0;
            boolean expectContinue = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(colon, 0)).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                } else if (name.equals("expect") && value.equalsIgnoreCase("100-continue")) {
                    expectContinue = true;
                } else if (name.equals("x-amz-target")) {
                    parts[1] = parts[1] + "#" + value.substring(value.indexOf('.') + 1);
                }
            }
            if (expectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = in.readNBytes(length);
            Answer answer = exchange.answer(parts[0], parts.length > 1 ? parts[1] : "/", body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + answer.status() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n" + answer.headers() + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return true;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    return line.toString().strip();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Secrets Manager for one secret, on 127.0.0.1: DescribeSecret, GetSecretValue, GetRandomPassword,
     * PutSecretValue and UpdateSecretVersionStage as the service answers them, over HTTP/1.1 with
     * keep-alive, as the function's HTTP client talks to a VPC endpoint or a local server.
     */
    private static final class CannedSecretsManager implements AutoCloseable {
        private final LoopbackServer server;
        private final String randomPassword;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, List<String>> stages = new LinkedHashMap<>();

        CannedSecretsManager(String currentSecret, String randomPassword) throws IOException {
            this.randomPassword = randomPassword;
            values.put(CURRENT, currentSecret);
            stages.put(CURRENT, new ArrayList<>(List.of("AWSCURRENT")));
            stages.put(TOKEN, new ArrayList<>(List.of("AWSPENDING")));
            server = new LoopbackServer(0, "training-secretsmanager", (method, path, body) -> {
                String[] answer = answer(path.substring(path.indexOf('#') + 1),
                        Json.parseObject(new String(body, StandardCharsets.UTF_8), "the request"));
                return new Answer(answer[0], "x-amzn-RequestId: 00000000-0000-4000-8000-000000000000\r\n", answer[1]);
            });
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.port();
        }

        synchronized boolean currentIsToken() {
            return stages.get(TOKEN).contains("AWSCURRENT") && !stages.get(CURRENT).contains("AWSCURRENT");
        }

        synchronized String pendingPassword() {
            String pending = values.get(TOKEN);
            return pending == null ? null : Json.string(Json.parseObject(pending, "the pending secret"), "password")
                    .orElse(null);
        }

        /** The status line's rest and the body for one operation. */
        private synchronized String[] answer(String operation, Map<String, JsonNode> request) {
            String versionId = Json.string(request, "VersionId").orElse(null);
            String stage = Json.string(request, "VersionStage").orElse(null);
            switch (operation) {
                case "DescribeSecret" -> {
                    StringBuilder versions = new StringBuilder("{");
                    stages.forEach((id, labels) -> versions.append(versions.length() > 1 ? "," : "").append('"')
                            .append(id).append("\":[\"").append(String.join("\",\"", labels)).append("\"]"));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ARN", ARN);
                    body.put("Name", "training");
                    body.put("RotationEnabled", true);
                    body.put("VersionIdsToStages", JsonNode.parser().parse(versions.append('}').toString()));
                    return ok(Json.write(body));
                }
                case "GetSecretValue" -> {
                    String id = versionId != null ? versionId : stages.entrySet().stream()
                            .filter(e -> e.getValue().contains(stage == null ? "AWSCURRENT" : stage))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    if (id == null || !values.containsKey(id)
                            || (stage != null && !stages.getOrDefault(id, List.of()).contains(stage))) {
                        return new String[] {"400 Bad Request", "{\"__type\":\"ResourceNotFoundException\","
                                + "\"message\":\"Secrets Manager can't find the specified secret value.\"}"};
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ARN", ARN);
                    body.put("Name", "training");
                    body.put("VersionId", id);
                    body.put("SecretString", values.get(id));
                    body.put("VersionStages", JsonNode.parser().parse("[\"" + String.join("\",\"", stages.get(id)) + "\"]"));
                    return ok(Json.write(body));
                }
                case "GetRandomPassword" -> {
                    return ok(Json.write(Map.of("RandomPassword", randomPassword)));
                }
                case "PutSecretValue" -> {
                    String token = Json.string(request, "ClientRequestToken").orElse("");
                    values.put(token, Json.string(request, "SecretString").orElse(""));
                    stages.computeIfAbsent(token, t -> new ArrayList<>(List.of("AWSPENDING")));
                    return ok(Json.write(Map.of("ARN", ARN, "Name", "training", "VersionId", token)));
                }
                case "UpdateSecretVersionStage" -> {
                    String move = Json.string(request, "MoveToVersionId").orElse(null);
                    String remove = Json.string(request, "RemoveFromVersionId").orElse(null);
                    String label = Json.string(request, "VersionStage").orElse("");
                    if (remove != null && stages.containsKey(remove)) {
                        stages.get(remove).remove(label);
                        if (label.equals("AWSCURRENT")) {
                            stages.get(remove).add("AWSPREVIOUS");
                        }
                    }
                    if (move != null) {
                        stages.computeIfAbsent(move, t -> new ArrayList<>()).add(label);
                        if (label.equals("AWSCURRENT")) {
                            stages.get(move).remove("AWSPENDING");
                        }
                    }
                    return ok(Json.write(Map.of("ARN", ARN, "Name", "training")));
                }
                default -> {
                    return new String[] {"400 Bad Request", "{\"__type\":\"InvalidRequestException\","
                            + "\"message\":\"the training's Secrets Manager does not answer " + operation + "\"}"};
                }
            }
        }

        private static String[] ok(String body) {
            return new String[] {"200 OK", body};
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
