package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the running server with the AWS CLI v2 (Debian package awscli) as a user would. Fails,
 * never skips, when the CLI is missing.
 */
class AwsCliIT {
    private static final Path AWS = Path.of("/usr/bin/aws");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T1 = "cccccccc-0000-0000-0000-000000000001";
    private static final String T2 = "cccccccc-0000-0000-0000-000000000002";

    @TempDir
    Path home;

    private LocalSecretsManager server;

    /** Exit code, stdout and stderr of one CLI call. */
    private record Result(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() {
        if (!Files.isExecutable(AWS)) {
            fail("/usr/bin/aws is missing: install the AWS CLI v2 with `apt-get install -y awscli` "
                    + "(.ci/run does this in CI)");
        }
        server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Result aws(String... args) throws IOException, InterruptedException {
        return awsAt(server.endpoint().toString(), args);
    }

    private Result awsAt(String endpoint, String... args) throws IOException, InterruptedException {
        return awsService(endpoint, "secretsmanager", args);
    }

    private JsonNode okWith(String service, String... args) throws IOException, InterruptedException {
        Result r = awsService(server.endpoint().toString(), service, args);
        assertThat(r.exit()).as("aws %s failed: %s", String.join(" ", args), r.err()).isZero();
        return r.json();
    }

    private Result awsService(String endpoint, String service, String... args) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("--endpoint-url", endpoint, "--output", "json", service));
        cmd.addAll(List.of(args));
        return runAws(cmd);
    }

    private Result runAws(List<String> arguments) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AWS.toString()));
        cmd.addAll(arguments);
        String[] args = arguments.toArray(new String[0]);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("HOME", home.toString());
        env.remove("AWS_PROFILE");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("aws " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private JsonNode ok(String... args) throws IOException, InterruptedException {
        Result r = aws(args);
        assertThat(r.exit()).as("aws %s failed: %s", String.join(" ", args), r.err()).isZero();
        return r.out().isBlank() ? JSON.createObjectNode() : r.json();
    }

    @Test
    void awsCli_throughLocalhostUrl_isServed() throws Exception {
        String localhost = "http://localhost:" + server.endpoint().getPort();
        Result created = awsAt(localhost, "create-secret", "--name", "cli/localhost", "--secret-string", "via-localhost");
        assertThat(created.exit()).as(created.err()).isZero();
        Result read = awsAt(localhost, "get-secret-value", "--secret-id", "cli/localhost");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(read.json().path("SecretString").asText()).isEqualTo("via-localhost");
    }

    @Test
    void awsCli_replicatesToAnotherRegion_andReadsTheReplicaThere() throws Exception {
        String arn = ok("create-secret", "--name", "cli/multi", "--secret-string", "replicated-value").path("ARN")
                .asText();
        JsonNode replicated = ok("replicate-secret-to-regions", "--secret-id", "cli/multi",
                "--add-replica-regions", "Region=eu-west-1,KmsKeyId=alias/west");
        assertThat(replicated.path("ReplicationStatus").get(0).path("Status").asText()).isEqualTo("InSync");
        // --region chooses the region the CLI signs for: the replica's.
        JsonNode replica = ok("--region", "eu-west-1", "get-secret-value", "--secret-id", "cli/multi");
        assertThat(replica.path("SecretString").asText()).isEqualTo("replicated-value");
        assertThat(replica.path("ARN").asText()).isEqualTo(arn.replace(":us-east-1:", ":eu-west-1:"));
        Result refused = aws("--region", "eu-west-1", "put-secret-value", "--secret-id", "cli/multi",
                "--secret-string", "x");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("InvalidParameterException").contains("replica");
        ok("remove-regions-from-replication", "--secret-id", "cli/multi", "--remove-replica-regions", "eu-west-1");
        assertThat(aws("--region", "eu-west-1", "describe-secret", "--secret-id", "cli/multi").err())
                .contains("ResourceNotFoundException");
    }

    @Test
    void awsCli_coversTheDailyOperations() throws Exception {
        JsonNode created = ok("create-secret", "--name", "cli/db", "--secret-string", "{\"password\":\"first\"}",
                "--client-request-token", T1, "--description", "made by the CLI");
        assertThat(created.path("VersionId").asText()).isEqualTo(T1);
        assertThat(created.path("ARN").asText()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:cli/db-");

        JsonNode put = ok("put-secret-value", "--secret-id", "cli/db", "--secret-string", "{\"password\":\"second\"}",
                "--version-stages", "AWSPENDING", "--client-request-token", T2);
        assertThat(put.path("VersionStages").toString()).isEqualTo("[\"AWSPENDING\"]");

        assertThat(ok("get-secret-value", "--secret-id", "cli/db", "--version-stage", "AWSPENDING")
                .path("SecretString").asText()).isEqualTo("{\"password\":\"second\"}");
        assertThat(ok("get-secret-value", "--secret-id", "cli/db").path("VersionId").asText()).isEqualTo(T1);

        ok("update-secret-version-stage", "--secret-id", "cli/db", "--version-stage", "AWSCURRENT",
                "--move-to-version-id", T2, "--remove-from-version-id", T1);

        JsonNode value = ok("get-secret-value", "--secret-id", created.path("ARN").asText());
        assertThat(value.path("VersionId").asText()).isEqualTo(T2);
        assertThat(value.path("SecretString").asText()).contains("second");
        assertThat(value.path("CreatedDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");

        JsonNode described = ok("describe-secret", "--secret-id", "cli/db");
        assertThat(described.path("Description").asText()).isEqualTo("made by the CLI");
        assertThat(described.path("VersionIdsToStages").path(T1).toString()).isEqualTo("[\"AWSPREVIOUS\"]");
        assertThat(described.path("VersionIdsToStages").path(T2).toString()).contains("AWSCURRENT", "AWSPENDING");

        ok("update-secret-version-stage", "--secret-id", "cli/db", "--version-stage", "AWSPENDING",
                "--remove-from-version-id", T2);
        ok("put-secret-value", "--secret-id", "cli/db", "--secret-string", "third");
        JsonNode listed = ok("list-secret-version-ids", "--secret-id", "cli/db");
        assertThat(listed.path("Versions")).hasSize(2);
        JsonNode all = ok("list-secret-version-ids", "--secret-id", "cli/db", "--include-deprecated");
        assertThat(all.path("Versions")).hasSize(3);

        String password = ok("get-random-password", "--password-length", "24", "--exclude-punctuation")
                .path("RandomPassword").asText();
        assertThat(password).matches("[A-Za-z0-9]{24}");

        JsonNode deleted = ok("delete-secret", "--secret-id", "cli/db", "--recovery-window-in-days", "7");
        assertThat(deleted.path("DeletionDate").asText()).isNotBlank();
        Result refused = aws("get-secret-value", "--secret-id", "cli/db");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("InvalidRequestException").doesNotContain("third");

        ok("restore-secret", "--secret-id", "cli/db");
        assertThat(ok("get-secret-value", "--secret-id", "cli/db").path("SecretString").asText()).isEqualTo("third");

        Result missing = aws("describe-secret", "--secret-id", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("ResourceNotFoundException");
    }

    @Test
    void awsCli_batchGetAndResourcePolicies() throws Exception {
        ok("create-secret", "--name", "cli/one", "--secret-string", "value-one");
        ok("create-secret", "--name", "cli/two", "--secret-string", "value-two");

        // The Debian package's CLI (2.9) predates BatchGetSecretValue (2023-11): give it the operation's model,
        // written from the API reference's request and response syntax, as `aws configure add-model` does.
        Path model = home.resolve("batch-model.json");
        try (var in = AwsCliIT.class.getResourceAsStream("/batch-get-secret-value-model.json")) {
            Files.copy(in, model);
        }
        Result added = runAws(List.of("configure", "add-model", "--service-model", "file://" + model,
                "--service-name", "secretsmanager-batch"));
        assertThat(added.exit()).as(added.err()).isZero();
        JsonNode batch = okWith("secretsmanager-batch", "batch-get-secret-value", "--secret-id-list", "cli/one",
                "cli/two", "cli/none");
        assertThat(batch.path("SecretValues")).hasSize(2);
        assertThat(batch.path("SecretValues").get(0).path("SecretString").asText()).isEqualTo("value-one");
        assertThat(batch.path("Errors").get(0).path("SecretId").asText()).isEqualTo("cli/none");
        assertThat(batch.path("Errors").get(0).path("ErrorCode").asText()).isEqualTo("ResourceNotFoundException");
        JsonNode filtered = okWith("secretsmanager-batch", "batch-get-secret-value", "--filters",
                "Key=name,Values=cli/t");
        assertThat(filtered.path("SecretValues")).hasSize(1);
        assertThat(filtered.path("SecretValues").get(0).path("Name").asText()).isEqualTo("cli/two");

        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"*\"}]}";
        JsonNode validated = ok("validate-resource-policy", "--resource-policy", policy);
        assertThat(validated.path("PolicyValidationPassed").asBoolean()).isTrue();
        JsonNode put = ok("put-resource-policy", "--secret-id", "cli/one", "--resource-policy", policy,
                "--block-public-policy");
        assertThat(put.path("Name").asText()).isEqualTo("cli/one");
        assertThat(ok("get-resource-policy", "--secret-id", "cli/one").path("ResourcePolicy").asText())
                .isEqualTo(policy);

        String open = policy.replace("{\"AWS\":\"arn:aws:iam::123456789012:role/app\"}", "\"*\"");
        JsonNode broad = ok("validate-resource-policy", "--resource-policy", open);
        assertThat(broad.path("PolicyValidationPassed").asBoolean()).isFalse();
        Result blocked = aws("put-resource-policy", "--secret-id", "cli/one", "--resource-policy", open,
                "--block-public-policy");
        assertThat(blocked.exit()).isNotZero();
        assertThat(blocked.err()).contains("PublicPolicyException");
        assertThat(ok("get-resource-policy", "--secret-id", "cli/one").path("ResourcePolicy").asText())
                .isEqualTo(policy);
    }
}
