package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * serve --iam with the repository's template.yaml: the MySQL rotation function's own role
 * (MySqlRotationFunctionRole: RotationPolicy plus its rotated-secrets policy, whose condition is
 * secretsmanager:resource/AllowRotationLambdaArn) loaded as serve loads it, a function running with the
 * role's keys rotating the secret it rotates and denied on another function's secret; then the audit
 * command printing that history.
 */
class TemplateRoleAccessIT {
    private static final Path TEMPLATE = Path.of("../../template.yaml");
    private static final String MYSQL_FN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-mysql";
    private static final String POSTGRES_FN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-postgres";
    private static final String VALUE = "{\"username\":\"app\",\"password\":\"template-role-old-pw-99\"}";

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SecretsManagerClient client(LocalSecretsManager server, String key, String secret) {
        SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(server.endpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build();
        toClose.add(c);
        return c;
    }

    /** createSecret and finishSecret as the single-user functions call Secrets Manager. */
    private static InProcessInvoker.StepHandler function(SecretsManagerClient sm) {
        return step -> {
            if (step.step().equals(RotationStep.CREATE_SECRET)) {
                sm.describeSecret(r -> r.secretId(step.secretId()));
                sm.getSecretValue(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT"));
                String pw = sm.getRandomPassword(r -> r.excludePunctuation(true)).randomPassword();
                sm.putSecretValue(r -> r.secretId(step.secretId()).clientRequestToken(step.clientRequestToken())
                        .secretString("{\"username\":\"app\",\"password\":\"" + pw + "\"}").versionStages("AWSPENDING"));
            } else if (step.step().equals(RotationStep.FINISH_SECRET)) {
                String current = sm.describeSecret(r -> r.secretId(step.secretId())).versionIdsToStages().entrySet()
                        .stream().filter(e -> e.getValue().contains("AWSCURRENT")).findFirst().orElseThrow().getKey();
                sm.updateSecretVersionStage(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT")
                        .moveToVersionId(step.clientRequestToken()).removeFromVersionId(current));
            }
        };
    }

    @Test
    void templateRole_rotatesItsFunctionsSecretAndIsDeniedOnAnother_andAuditPrintsIt() throws Exception {
        Path iam = dir.resolve("iam.json");
        Files.writeString(iam, "{\"keys\":["
                + "{\"accessKeyId\":\"AKIAADMIN00000000001\",\"secretAccessKey\":\"admin-key\","
                + "\"principal\":\"arn:aws:iam::123456789012:root\"},"
                + "{\"accessKeyId\":\"AKIAMYSQLROTATION001\",\"secretAccessKey\":\"mysql-role-key\","
                + "\"templateRole\":\"MySqlRotationFunctionRole\"}]}");
        IamFile file = IamFile.read(iam, SamTemplate.read(TEMPLATE, "us-east-1", java.util.Map.of()).roles());
        assertThat(file.config().toString()).doesNotContain("mysql-role-key", "admin-key");

        InProcessInvoker functions = new InProcessInvoker();
        LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .dataDir(dir.resolve("data")).iam(file.config()).rotationInvoker(functions).build().start();
        toClose.add(server);
        SecretsManagerClient admin = client(server, "AKIAADMIN00000000001", "admin-key");
        SecretsManagerClient role = client(server, "AKIAMYSQLROTATION001", "mysql-role-key");
        functions.register(MYSQL_FN, function(role));
        functions.register(POSTGRES_FN, function(role)); // the MySQL role where the Postgres function should run

        admin.createSecret(r -> r.name("mysql/app").secretString(VALUE));
        admin.createSecret(r -> r.name("postgres/app").secretString(VALUE));
        admin.rotateSecret(r -> r.secretId("mysql/app").rotationLambdaARN(MYSQL_FN + ":live"));
        admin.rotateSecret(r -> r.secretId("postgres/app").rotationLambdaARN(POSTGRES_FN));
        assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();

        assertThat(server.rotationOutcome("mysql/app")).get()
                .satisfies(o -> assertThat(o.status()).isEqualTo(RotationOutcome.SUCCEEDED));
        assertThat(server.rotationOutcome("postgres/app")).get().satisfies(o -> {
            assertThat(o.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(o.reason()).contains("MySqlRotationFunctionRole is not authorized to perform: "
                    + "secretsmanager:DescribeSecret");
        });
        // RotationPolicy (the template's managed policy) grants GetRandomPassword, and nothing else.
        assertThat(role.getRandomPassword(r -> { }).randomPassword()).hasSize(32);
        assertThatThrownBy(() -> role.listSecrets(r -> { }))
                .satisfies(e -> assertThat(((SecretsManagerException) e).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        server.close();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("audit", "--data-dir", dir.resolve("data").toString(), "--secret-id", "postgres/app");
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("RotationStarted", "secretsmanager.amazonaws.com"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("DescribeSecret",
                "arn:aws:iam::123456789012:role/MySqlRotationFunctionRole", "AccessDeniedException"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Invoke createSecret", "FunctionError Unhandled"));
        assertThat(lines).last().satisfies(l -> assertThat(l).contains("RotationFailed"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("mysql/app"));
        assertThat(out.toString()).doesNotContain("template-role-old-pw-99");
    }

    @Test
    void audit_withoutALog_orWithABadSince_isAOneLineUsageError() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("audit");
        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("audit: name the log");

        StringWriter err2 = new StringWriter();
        exit = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true))
                .execute("audit", "--audit-log", dir.resolve("none.log").toString());
        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err2.toString().strip()).endsWith("No such file or directory");

        StringWriter err3 = new StringWriter();
        exit = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err3, true))
                .execute("audit", "--audit-log", "x", "--since", "yesterday");
        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err3.toString()).contains("--since must be");
    }

    @Test
    void iamFile_withAnUnknownTemplateRole_namesTheTemplatesRoles() throws Exception {
        Path iam = dir.resolve("iam.json");
        Files.writeString(iam, "{\"keys\":[{\"accessKeyId\":\"AKIAMYSQLROTATION001\",\"secretAccessKey\":\"k\","
                + "\"templateRole\":\"NoSuchRole\"}]}");
        assertThatThrownBy(() -> IamFile.read(iam, SamTemplate.read(TEMPLATE, "us-east-1", java.util.Map.of()).roles()))
                .hasMessageContaining("no AWS::IAM::Role NoSuchRole")
                .hasMessageContaining("MySqlRotationFunctionRole");
    }
}
