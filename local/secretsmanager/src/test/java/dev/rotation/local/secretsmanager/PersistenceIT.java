package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

class PersistenceIT {
    private static final String PASSWORD = "Pl41ntext-Must-Not-Leak";
    private static final byte[] BINARY = "binary-secret-bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private final TestClock clock = TestClock.at("2026-05-01T09:00:00Z");

    private LocalSecretsManager open() {
        return LocalSecretsManager.builder().port(0).clock(clock).dataDir(dataDir)
                .rotationInvoker(new InProcessInvoker().register("f", s -> { }))
                .schedulerInterval(Duration.ZERO).build().start();
    }

    @Test
    void restart_keepsEveryCommittedVersionLabelAndSetting() {
        String arn;
        String v2;
        try (LocalSecretsManager server = open(); SecretsManagerClient sm = Sdk.client(server.endpoint())) {
            arn = sm.createSecret(r -> r.name("db/main").kmsKeyId("alias/local-key").description("main db")
                    .secretString("{\"username\":\"app\",\"password\":\"" + PASSWORD + "\"}")
                    .tags(t -> t.key("env").value("test"))).arn();
            v2 = sm.putSecretValue(r -> r.secretId(arn).secretString("{\"password\":\"" + PASSWORD + "-2\"}"))
                    .versionId();
            sm.createSecret(r -> r.name("blob").secretBinary(SdkBytes.fromByteArray(BINARY)));
            server.createManagedSecret("rds!db-kept", "rds", "{\"password\":\"" + PASSWORD + "-m\"}",
                    Map.of("aws:rds:primaryDBInstanceArn", "arn:aws:rds:us-east-1:123456789012:db:kept"));
            sm.createSecret(r -> r.name("doomed").secretString("x1234"));
            sm.deleteSecret(r -> r.secretId("doomed").recoveryWindowInDays(10L));
            sm.rotateSecret(r -> r.secretId("blob").rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:f")
                    .rotationRules(rr -> rr.automaticallyAfterDays(5L)));
            assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
        }

        try (LocalSecretsManager server = open(); SecretsManagerClient sm = Sdk.client(server.endpoint())) {
            DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("db/main"));
            assertThat(d.arn()).isEqualTo(arn);
            assertThat(d.kmsKeyId()).isEqualTo("alias/local-key");
            assertThat(d.description()).isEqualTo("main db");
            assertThat(d.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("env=test");
            assertThat(d.versionIdsToStages().get(v2)).containsExactly("AWSCURRENT");
            assertThat(sm.getSecretValue(r -> r.secretId("db/main")).secretString()).contains(PASSWORD + "-2");
            assertThat(sm.getSecretValue(r -> r.secretId("db/main").versionStage("AWSPREVIOUS")).secretString())
                    .contains(PASSWORD);
            assertThat(sm.getSecretValue(r -> r.secretId("blob")).secretBinary().asByteArray()).isEqualTo(BINARY);
            DescribeSecretResponse blob = sm.describeSecret(r -> r.secretId("blob"));
            assertThat(blob.rotationEnabled()).isTrue();
            assertThat(blob.lastRotatedDate()).isEqualTo(clock.instant());
            assertThat(blob.nextRotationDate()).isEqualTo(java.time.Instant.parse("2026-05-06T23:59:59Z"));
            assertThat(sm.describeSecret(r -> r.secretId("doomed")).deletedDate())
                    .isEqualTo(clock.instant().plus(Duration.ofDays(10)));
            DescribeSecretResponse managed = sm.describeSecret(r -> r.secretId("rds!db-kept"));
            assertThat(managed.owningService()).isEqualTo("rds");
            assertThat(managed.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly(
                    "aws:rds:primaryDBInstanceArn=arn:aws:rds:us-east-1:123456789012:db:kept",
                    "aws:secretsmanager:owningService=rds");
            sm.restoreSecret(r -> r.secretId("doomed"));
            assertThat(sm.getSecretValue(r -> r.secretId("doomed")).secretString()).isEqualTo("x1234");
        }
    }

    @Test
    void dataDirFiles_neverHoldPlaintextValues() throws IOException {
        try (LocalSecretsManager server = open(); SecretsManagerClient sm = Sdk.client(server.endpoint())) {
            sm.createSecret(r -> r.name("s").secretString(PASSWORD));
            sm.putSecretValue(r -> r.secretId("s").secretString("{\"password\":\"" + PASSWORD + "\"}")
                    .versionStages("AWSPENDING"));
            sm.createSecret(r -> r.name("b").secretBinary(SdkBytes.fromByteArray(BINARY)));
        }
        String b64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString())
                        .doesNotContain(PASSWORD).doesNotContain(b64).doesNotContain("binary-secret-bytes");
            }
        }
    }
}
