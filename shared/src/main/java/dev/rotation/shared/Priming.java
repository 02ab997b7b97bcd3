package dev.rotation.shared;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Priming: run the code a cold createSecret runs — build the shared Secrets Manager client, then a
 * whole createSecret of the function's own handler against canned answers (marshalling, signing,
 * unmarshalling, the ResourceNotFound path, the secret's JSON, the log lines) — and load the JDBC
 * driver's login classes. Nothing leaves the process: no AWS request, no database connection, no
 * credentials are resolved by priming itself.
 *
 * <p>When it runs depends on how Lambda initializes the execution environment
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE}):
 * <ul>
 * <li>{@code snap-start}: in the CRaC {@code beforeCheckpoint} hook, so restored environments start
 * with these classes loaded, initialized and partly compiled (the shared client resolves its
 * credentials after restore);</li>
 * <li>{@code provisioned-concurrency}: during init, which runs ahead of any request;</li>
 * </ul>
 * On-demand environments are not primed: their init is on the first request's path, and priming
 * would only add its canned createSecret to it (measured: running it on a background thread during
 * init made the bench's cold createSecret 10 % slower on two cores — the threads contend for the
 * same classes). Tests and other hosts prime nothing either.
 *
 * <p>A handler's no-argument (Lambda) constructor registers it once per class loader.
 */
public final class Priming implements Resource {
    private static final String TOKEN = "00000000-0000-4000-8000-000000000002";
    private static final String CURRENT = "00000000-0000-4000-8000-000000000001";
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf";
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    // The global context holds resources weakly; registered resources must stay reachable.
    private static volatile Priming registered;

    private final Function<SecretsManagerClient, RotationHandler> handlerFactory;
    private final String engine;
    private final List<String> driverClasses;
    /** The function's engine; null for {@link #of}. */
    private final DatabaseEngine databaseEngine;

    private Priming(Function<SecretsManagerClient, RotationHandler> handlerFactory, EngineDescription description,
            DatabaseEngine databaseEngine) {
        this.handlerFactory = Objects.requireNonNull(handlerFactory, "handlerFactory");
        this.engine = description.secretValues().get(0);
        this.driverClasses = description.loginClasses();
        this.databaseEngine = databaseEngine;
    }

    /**
     * Registers priming once: with the CRaC global context, and for the execution environment's
     * initialization type (see the class comment).
     *
     * @param handlerFactory the function's handler around a given client
     * @param engine         the function's engine; its description names the secret it primes with and
     *                       the driver classes a login loads
     */
    static synchronized void register(Function<SecretsManagerClient, RotationHandler> handlerFactory,
            DatabaseEngine engine) {
        if (registered != null) {
            return;
        }
        Priming priming = new Priming(handlerFactory, engine.description(), engine);
        registered = priming;
        Core.getGlobalContext().register(priming);
        priming.onInit(System.getenv(INITIALIZATION_TYPE));
    }

    /** The priming a handler's Lambda constructor registered in this class loader, if any ({@link Training}). */
    static Optional<Priming> registered() {
        return Optional.ofNullable(registered);
    }

    /** The engine of the registered priming's function, if any ({@link Training}). */
    static Optional<DatabaseEngine> registeredEngine() {
        return registered().map(priming -> priming.databaseEngine);
    }

    /** Primes now if {@code initializationType} says init runs ahead of any request; whether it did. */
    boolean onInit(String initializationType) {
        if ("provisioned-concurrency".equals(initializationType)) {
            prime();
            return true;
        }
        return false;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: priming opened no connection and resolved no credentials.
    }

    /**
     * Runs the priming; never throws (a failed priming only makes the first invocation slower).
     *
     * @return what failed, if anything (for tests and the warning line)
     */
    Optional<String> prime() {
        StringBuilder failures = new StringBuilder();
        try {
            SecretsManagerClients.shared();
        } catch (RuntimeException e) {
            failures.append("shared client: ").append(e.getClass().getSimpleName()).append("; ");
        }
        primeCreateSecret().ifPresent(failures::append);
        primeDriver().ifPresent(failures::append);
        if (failures.length() > 0) {
            System.out.println("{\"level\":\"WARN\",\"message\":\"priming incomplete: "
                    + SecretScrubber.printable(failures.toString()).replace("\"", "'") + "\"}");
            return Optional.of(failures.toString());
        }
        return Optional.empty();
    }

    /** A whole createSecret of the function's handler against canned Secrets Manager answers; what failed, if anything. */
    public Optional<String> primeCreateSecret() {
        try (SecretsManagerClient canned = cannedClient()) {
            RotationHandler handler = handlerFactory.apply(canned);
            String event = "{\"Step\":\"createSecret\",\"SecretId\":\"" + ARN + "\",\"ClientRequestToken\":\""
                    + TOKEN + "\"}";
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
            return Optional.empty();
        } catch (Exception | LinkageError e) {
            return Optional.of("createSecret: " + e.getClass().getSimpleName() + "; ");
        }
    }

    /** Loads and initializes the driver classes a login uses (no connection is made); what failed, if anything. */
    public Optional<String> primeDriver() {
        StringBuilder failures = new StringBuilder();
        ClassLoader loader = Priming.class.getClassLoader();
        for (String name : driverClasses) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                failures.append(name).append(": ").append(e.getClass().getSimpleName()).append("; ");
            }
        }
        return failures.length() == 0 ? Optional.empty() : Optional.of(failures.toString());
    }

    /** Priming for a handler without registering it, for tests. */
    public static Priming of(Function<SecretsManagerClient, RotationHandler> handlerFactory,
            EngineDescription description) {
        return new Priming(handlerFactory, description, null);
    }

    private SecretsManagerClient cannedClient() {
        String region = Optional.ofNullable(System.getenv(SecretsManagerClients.AWS_REGION)).filter(r -> !r.isBlank())
                .orElse("us-east-1");
        return SecretsManagerClient.builder()
                .httpClient(new CannedHttpClient(engine))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMING", "PRIMING")))
                .build();
    }

    /** Answers each Secrets Manager operation of createSecret as the service would, without a network. */
    private static final class CannedHttpClient implements SdkHttpClient {
        private final String engine;
        private int getSecretValueCalls;

        CannedHttpClient(String engine) {
            this.engine = engine;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
            String operation = target.substring(target.indexOf('.') + 1);
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return answer(operation);
                }

                @Override
                public void abort() {
                }
            };
        }

        private HttpExecuteResponse answer(String operation) {
            int status = 200;
            String body;
            switch (operation) {
                case "DescribeSecret" -> body = "{\"ARN\":\"" + ARN + "\",\"Name\":\"priming\",\"RotationEnabled\":true,"
                        + "\"VersionIdsToStages\":{\"" + CURRENT + "\":[\"AWSCURRENT\"],\"" + TOKEN + "\":[\"AWSPENDING\"]}}";
                case "GetSecretValue" -> body = null;
                case "GetRandomPassword" -> body = "{\"RandomPassword\":\"" + "Pr1m1ngPr1m1ngPr1m1ngPr1m1ngPr1m" + "\"}";
                default -> body = "{\"ARN\":\"" + ARN + "\",\"Name\":\"priming\",\"VersionId\":\"" + TOKEN + "\"}";
            }
            if (body == null) {
                return getSecretValue();
            }
            return response(status, body, null);
        }

        /** AWSCURRENT has a value; the token's AWSPENDING has none yet (the not-found path createSecret takes). */
        private HttpExecuteResponse getSecretValue() {
            if (getSecretValueCalls++ == 0) {
                String secret = "{\\\"engine\\\":\\\"" + engine + "\\\",\\\"host\\\":\\\"priming.invalid\\\","
                        + "\\\"username\\\":\\\"priming\\\",\\\"masterarn\\\":\\\"" + ARN + "\\\",\\\"password\\\":\\\"priming-password\\\"}";
                return response(200, "{\"ARN\":\"" + ARN + "\",\"Name\":\"priming\",\"VersionId\":\"" + CURRENT
                        + "\",\"SecretString\":\"" + secret + "\",\"VersionStages\":[\"AWSCURRENT\"]}", null);
            }
            return response(400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the"
                    + " specified secret value for VersionId: " + TOKEN + "\"}", "ResourceNotFoundException");
        }

        private static HttpExecuteResponse response(int status, String body, String errorType) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status)
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("Content-Length", Integer.toString(bytes.length))
                    .putHeader("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
            if (errorType != null) {
                http.putHeader("x-amzn-ErrorType", errorType);
            }
            return HttpExecuteResponse.builder().response(http.build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
        }

        @Override
        public String clientName() {
            return "Priming";
        }

        @Override
        public void close() {
        }
    }
}
