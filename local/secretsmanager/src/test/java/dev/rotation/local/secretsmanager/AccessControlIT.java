package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Access control through the real SDK: signatures checked against the configured keys, and each request
 * evaluated against the caller's identity policies and the secret's resource policy, as IAM evaluates a
 * request within one account. The rotation role is template.yaml's MySqlRotationFunctionRole policy.
 */
class AccessControlIT {
    static final String ADMIN_KEY = "AKIAADMIN00000000001";
    static final String APP_KEY = "AKIAAPP0000000000001";
    static final String ROTATION_KEY = "AKIAROTATION00000001";
    static final String ADMIN = "arn:aws:iam::123456789012:root";
    static final String APP = "arn:aws:iam::123456789012:user/app";
    static final String ROTATION_ROLE = "arn:aws:iam::123456789012:role/MySqlRotationFunctionRole";
    static final String MYSQL_FN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-mysql";
    static final String POSTGRES_FN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-postgres";
    private static final String VALUE = "{\"username\":\"app\",\"password\":\"acl-old-password-17\"}";

    /** template.yaml's rotated-secrets policy of MySqlRotationFunctionRole, parameters at their defaults. */
    static final String ROTATION_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"secretsmanager:DescribeSecret\",\"secretsmanager:GetSecretValue\","
            + "\"secretsmanager:PutSecretValue\",\"secretsmanager:UpdateSecretVersionStage\"],\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"secretsmanager:resource/AllowRotationLambdaArn\":[\"" + MYSQL_FN
            + "\",\"" + MYSQL_FN + ":live\"]}}},{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetRandomPassword\","
            + "\"Resource\":\"*\"}]}";

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final InProcessInvoker functions = new InProcessInvoker();
    private LocalSecretsManager server;

    @BeforeEach
    void start() {
        IamConfig iam = IamConfig.builder()
                .key(ADMIN_KEY, "admin-secret", ADMIN, List.of())
                .key(APP_KEY, "app-secret", APP, List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                        + "\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"))
                .key(ROTATION_KEY, "rotation-secret", ROTATION_ROLE, List.of(ROTATION_POLICY))
                .build();
        server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).iam(iam)
                .rotationInvoker(functions).auditListener(events::add).auditLog(dir.resolve("audit.log")).build()
                .start();
        toClose.add(server);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SecretsManagerClient client(String key, String secret) {
        SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build();
        toClose.add(c);
        return c;
    }

    private static String code(Throwable e) {
        return ((SecretsManagerException) e).awsErrorDetails().errorCode();
    }

    @Test
    void signature_withTheWrongSecretKey_isRefusedAsInvalidSignature() {
        SecretsManagerClient wrong = client(APP_KEY, "not-the-app-secret");
        assertThatThrownBy(() -> wrong.getRandomPassword(r -> { }))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidSignatureException"))
                .hasMessageContaining("The request signature we calculated does not match the signature you provided");
    }

    @Test
    void signature_withAnUnknownKey_isRefusedAsUnrecognizedClient() {
        SecretsManagerClient stranger = client("AKIASTRANGER00000001", "whatever");
        assertThatThrownBy(() -> stranger.getRandomPassword(r -> { }))
                .satisfies(e -> assertThat(code(e)).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void unsignedRequest_isRefusedAsMissingAuthenticationToken() throws Exception {
        try (RawHttp c = new RawHttp(server.endpoint())) {
            RawHttp.Answer a = c.send(RawHttp.head("127.0.0.1:" + server.endpoint().getPort(), "GetRandomPassword", 2)
                    + "{}").read();
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).contains("MissingAuthenticationTokenException");
        }
    }

    @Test
    void identityAllow_withAResourcePolicyDeny_isDeniedWithTheServicesMessage() {
        SecretsManagerClient admin = client(ADMIN_KEY, "admin-secret");
        SecretsManagerClient app = client(APP_KEY, "app-secret");
        admin.createSecret(r -> r.name("shared/db").secretString(VALUE));
        admin.createSecret(r -> r.name("app/db").secretString(VALUE));
        assertThat(app.getSecretValue(r -> r.secretId("shared/db")).secretString()).isEqualTo(VALUE);

        // "An explicit deny in any of the policies overrides the allow."
        admin.putResourcePolicy(r -> r.secretId("shared/db").resourcePolicy("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + APP + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"));

        assertThatThrownBy(() -> app.getSecretValue(r -> r.secretId("shared/db")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"))
                .hasMessageContaining("User: " + APP + " is not authorized to perform: secretsmanager:GetSecretValue "
                        + "on resource: shared/db with an explicit deny in a resource-based policy")
                .hasMessageNotContaining("acl-old-password");
        assertThat(app.getSecretValue(r -> r.secretId("app/db")).secretString()).isEqualTo(VALUE);
        // No identity policy allows the app anything else.
        assertThatThrownBy(() -> app.describeSecret(r -> r.secretId("app/db")))
                .hasMessageContaining("because no identity-based policy allows the secretsmanager:DescribeSecret action");
        assertThat(events).filteredOn(e -> e.eventName().equals("GetSecretValue")
                        && e.errorCode().orElse("").equals("AccessDeniedException"))
                .singleElement()
                .satisfies(e -> assertThat(e.principalArn()).contains(APP));
    }

    @Test
    void batchGet_reportsADeniedSecretInErrorsAndReturnsTheOthers() {
        SecretsManagerClient admin = client(ADMIN_KEY, "admin-secret");
        admin.createSecret(r -> r.name("a").secretString("value-a-123"));
        admin.createSecret(r -> r.name("b").secretString("value-b-123"));
        admin.putResourcePolicy(r -> r.secretId("b").resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalArn\":\"" + APP + "\"}}}]}"));
        // The app may read each secret but not batch: the batch needs secretsmanager:BatchGetSecretValue too.
        SecretsManagerClient app = client(APP_KEY, "app-secret");
        assertThatThrownBy(() -> app.batchGetSecretValue(r -> r.secretIdList("a", "b")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"));

        var batch = admin.batchGetSecretValue(r -> r.secretIdList("a", "b", "missing"));
        assertThat(batch.secretValues()).extracting(v -> v.name()).containsExactly("a", "b");
        assertThat(batch.errors()).singleElement().satisfies(e -> {
            assertThat(e.secretId()).isEqualTo("missing");
            assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
        });
    }

    /**
     * A minimal rotation function with the SDK, as the real ones call Secrets Manager: createSecret puts
     * AWSPENDING, testSecret reads it, finishSecret moves AWSCURRENT (setSecret has no database here).
     */
    private InProcessInvoker.StepHandler function(SecretsManagerClient sm) {
        return step -> {
            switch (step.step()) {
                case RotationStep.CREATE_SECRET -> {
                    sm.describeSecret(r -> r.secretId(step.secretId()));
                    sm.getSecretValue(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT"));
                    String password = sm.getRandomPassword(r -> r.excludePunctuation(true)).randomPassword();
                    sm.putSecretValue(r -> r.secretId(step.secretId()).clientRequestToken(step.clientRequestToken())
                            .secretString("{\"username\":\"app\",\"password\":\"" + password + "\"}")
                            .versionStages("AWSPENDING"));
                }
                case RotationStep.TEST_SECRET -> sm.getSecretValue(r -> r.secretId(step.secretId())
                        .versionStage("AWSPENDING"));
                case RotationStep.FINISH_SECRET -> {
                    String current = sm.describeSecret(r -> r.secretId(step.secretId())).versionIdsToStages()
                            .entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT")).findFirst()
                            .orElseThrow().getKey();
                    sm.updateSecretVersionStage(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT")
                            .moveToVersionId(step.clientRequestToken()).removeFromVersionId(current));
                }
                default -> { }
            }
        };
    }

    @Test
    void rotationRole_rotatesTheSecretsOfItsFunctionAndIsDeniedOnOthers() {
        SecretsManagerClient admin = client(ADMIN_KEY, "admin-secret");
        SecretsManagerClient role = client(ROTATION_KEY, "rotation-secret");
        // The MySQL function runs with its role's keys. Registered as the Postgres function too, it acts on a
        // secret whose AllowRotationLambdaArn is the Postgres function: the role's condition must deny that.
        functions.register(MYSQL_FN, function(role));
        functions.register(POSTGRES_FN, function(role));
        admin.createSecret(r -> r.name("mysql/app").secretString(VALUE));
        admin.createSecret(r -> r.name("postgres/app").secretString(VALUE));

        admin.rotateSecret(r -> r.secretId("mysql/app").rotationLambdaARN(MYSQL_FN + ":live"));
        admin.rotateSecret(r -> r.secretId("postgres/app").rotationLambdaARN(POSTGRES_FN));
        assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();

        assertThat(server.rotationOutcome("mysql/app")).get()
                .satisfies(o -> assertThat(o.status()).isEqualTo(RotationOutcome.SUCCEEDED));
        assertThat(admin.getSecretValue(r -> r.secretId("mysql/app")).secretString()).isNotEqualTo(VALUE);
        assertThat(server.rotationOutcome("postgres/app")).get().satisfies(o -> {
            assertThat(o.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(o.step()).isEqualTo(RotationStep.CREATE_SECRET);
            assertThat(o.reason()).contains("is not authorized", ROTATION_ROLE, "secretsmanager:DescribeSecret");
        });
        assertThat(admin.getSecretValue(r -> r.secretId("postgres/app")).secretString()).isEqualTo(VALUE);
        // The role may not read a secret without a rotation function at all, nor manage policies.
        admin.createSecret(r -> r.name("plain").secretString(VALUE));
        assertThatThrownBy(() -> role.getSecretValue(r -> r.secretId("plain")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> role.deleteResourcePolicy(r -> r.secretId("mysql/app")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"));
    }

    @Test
    void withoutAccessControl_anySignatureIsAccepted() {
        try (LocalSecretsManager open = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).build()
                .start();
             SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(URI.create(
                     open.endpoint().toString())).region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                     .build()) {
            assertThat(c.getRandomPassword(r -> { }).randomPassword()).hasSize(32);
        }
    }
}
