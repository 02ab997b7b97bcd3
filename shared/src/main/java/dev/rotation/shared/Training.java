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

    private Training() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank()) {
            System.err.println("usage: java -cp <function jar> dev.rotation.shared.Training <Handler class>");
            System.exit(2);
            return;
        }
        Optional<String> failure = run(args[0]);
        if (failure.isPresent()) {
            System.err.println("training failed: " + failure.get());
            System.exit(1);
            return;
        }
        System.out.println("training: a whole rotation of " + args[0] + " against canned answers completed");
        System.exit(0);
    }

    /**
     * Runs the training rotation for the Lambda handler class {@code handlerClass}.
     *
     * @return what failed, if anything (never a value of the rotation)
     */
    public static Optional<String> run(String handlerClass) {
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
                for (RotationStep step : RotationStep.values()) {
                    String event = "{\"Step\":\"" + step.eventName() + "\",\"SecretId\":\"" + ARN + "\",\"ClientRequestToken\":\""
                            + TOKEN + "\"}";
                    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                            new ByteArrayOutputStream(), null);
                }
            }
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
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + " " + SecretScrubber.printable(
                    String.valueOf(e.getMessage())).replace(values.get(0), "*").replace(values.get(1), "*"));
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

    /**
     * Secrets Manager for one secret, on 127.0.0.1: DescribeSecret, GetSecretValue, GetRandomPassword,
     * PutSecretValue and UpdateSecretVersionStage as the service answers them, over HTTP/1.1 with
     * keep-alive, as the function's HTTP client talks to a VPC endpoint or a local server.
     */
    private static final class CannedSecretsManager implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;
        private final String randomPassword;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, List<String>> stages = new LinkedHashMap<>();

        CannedSecretsManager(String currentSecret, String randomPassword) throws IOException {
            this.randomPassword = randomPassword;
            values.put(CURRENT, currentSecret);
            stages.put(CURRENT, new ArrayList<>(List.of("AWSCURRENT")));
            stages.put(TOKEN, new ArrayList<>(List.of("AWSPENDING")));
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "training-secretsmanager");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        synchronized boolean currentIsToken() {
            return stages.get(TOKEN).contains("AWSCURRENT") && !stages.get(CURRENT).contains("AWSCURRENT");
        }

        synchronized String pendingPassword() {
            String pending = values.get(TOKEN);
            return pending == null ? null : Json.string(Json.parseObject(pending, "the pending secret"), "password")
                    .orElse(null);
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
            int length = 0;
            String target = "";
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(colon, 0)).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                } else if (name.equals("x-amz-target")) {
                    target = value.substring(value.indexOf('.') + 1);
                }
            }
            byte[] body = in.readNBytes(length);
            Map<String, JsonNode> request = Json.parseObject(new String(body, StandardCharsets.UTF_8), "the request");
            String[] answer = answer(target, request);
            byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + answer[0] + "\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: "
                    + bytes.length + "\r\nx-amzn-RequestId: 00000000-0000-4000-8000-000000000000\r\n\r\n";
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
            socket.close();
        }
    }
}
