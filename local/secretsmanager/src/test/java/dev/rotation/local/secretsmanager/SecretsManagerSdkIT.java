package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** Every rule of issue 2 that a client can see, through the real SDK v2 client. */
class SecretsManagerSdkIT {
    private static final String T1 = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String T2 = "aaaaaaaa-0000-0000-0000-000000000002";
    private static final String T3 = "aaaaaaaa-0000-0000-0000-000000000003";

    private final TestClock clock = TestClock.at("2026-02-01T12:00:00Z");
    private LocalSecretsManager server;
    private SecretsManagerClient sm;

    @BeforeEach
    void start() {
        server = LocalSecretsManager.builder().port(0).clock(clock).schedulerInterval(Duration.ZERO).build().start();
        sm = Sdk.client(server.endpoint());
    }

    @AfterEach
    void stop() {
        sm.close();
        server.close();
    }

    private String current(String id) {
        return sm.getSecretValue(r -> r.secretId(id)).secretString();
    }

    private List<String> stagesOf(String id, String versionId) {
        return sm.describeSecret(r -> r.secretId(id)).versionIdsToStages().get(versionId);
    }

    @Test
    void createAndGet_byNameFullArnAndPartialArn() {
        CreateSecretResponse c = sm.createSecret(r -> r.name("team/app-db").secretString("s3cret")
                .description("app database").clientRequestToken(T1));
        assertThat(c.versionId()).isEqualTo(T1);
        assertThat(c.arn()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:team/app-db-");
        String partial = c.arn().substring(0, c.arn().length() - 7);
        GetSecretValueResponse byArn = sm.getSecretValue(r -> r.secretId(c.arn()));
        assertThat(byArn.secretString()).isEqualTo("s3cret");
        assertThat(byArn.versionStages()).containsExactly("AWSCURRENT");
        assertThat(byArn.createdDate()).isEqualTo(clock.instant());
        assertThat(current(partial)).isEqualTo("s3cret");
        assertThat(sm.describeSecret(r -> r.secretId("team/app-db")).description()).isEqualTo("app database");
    }

    @Test
    void putSecretValue_defaultStageMovesCurrentAndPrevious() {
        sm.createSecret(r -> r.name("s").secretString("v1").clientRequestToken(T1));
        sm.putSecretValue(r -> r.secretId("s").secretString("v2").clientRequestToken(T2));
        assertThat(stagesOf("s", T1)).containsExactly("AWSPREVIOUS");
        assertThat(stagesOf("s", T2)).containsExactly("AWSCURRENT");
        sm.putSecretValue(r -> r.secretId("s").secretString("v3").clientRequestToken(T3));
        assertThat(stagesOf("s", T1)).isNull();
        assertThat(stagesOf("s", T2)).containsExactly("AWSPREVIOUS");
        assertThat(sm.getSecretValue(r -> r.secretId("s").versionStage("AWSPREVIOUS")).secretString()).isEqualTo("v2");
    }

    @Test
    void rotationLikeFlow_pendingThenMoveCurrent_isWhatAFunctionSees() {
        sm.createSecret(r -> r.name("s").secretString("v1").clientRequestToken(T1));
        sm.putSecretValue(r -> r.secretId("s").secretString("v2").clientRequestToken(T2).versionStages("AWSPENDING"));
        assertThat(current("s")).isEqualTo("v1");
        assertThat(sm.getSecretValue(r -> r.secretId("s").versionId(T2).versionStage("AWSPENDING")).secretString())
                .isEqualTo("v2");

        assertThatThrownBy(() -> sm.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT")
                .moveToVersionId(T2))).isInstanceOf(InvalidParameterException.class);
        sm.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT").moveToVersionId(T2)
                .removeFromVersionId(T1));

        assertThat(current("s")).isEqualTo("v2");
        assertThat(stagesOf("s", T1)).containsExactly("AWSPREVIOUS");
        assertThat(stagesOf("s", T2)).containsExactlyInAnyOrder("AWSCURRENT", "AWSPENDING");
    }

    @Test
    void tokenIdempotency_sameValueNoChange_otherValueResourceExists() {
        sm.createSecret(r -> r.name("s").secretString("v1").clientRequestToken(T1));
        sm.putSecretValue(r -> r.secretId("s").secretString("v2").clientRequestToken(T2));
        sm.putSecretValue(r -> r.secretId("s").secretString("v2").clientRequestToken(T2));
        assertThat(sm.listSecretVersionIds(r -> r.secretId("s").includeDeprecated(true)).versions()).hasSize(2);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s").secretString("other").clientRequestToken(T2)))
                .isInstanceOf(ResourceExistsException.class)
                .hasMessageNotContaining("other");
        assertThat(current("s")).isEqualTo("v2");
    }

    @Test
    void sdkGeneratedTokens_makeDistinctVersions() {
        sm.createSecret(r -> r.name("s").secretString("v1"));
        String a = sm.putSecretValue(r -> r.secretId("s").secretString("v2")).versionId();
        String b = sm.putSecretValue(r -> r.secretId("s").secretString("v3")).versionId();
        assertThat(a).isNotEqualTo(b).hasSizeBetween(32, 64);
    }

    @Test
    void deprecatedVersions_hiddenFromListingUnlessIncluded() {
        sm.createSecret(r -> r.name("s").secretString("v1").clientRequestToken(T1));
        sm.putSecretValue(r -> r.secretId("s").secretString("v2").clientRequestToken(T2));
        sm.putSecretValue(r -> r.secretId("s").secretString("v3").clientRequestToken(T3));

        ListSecretVersionIdsResponse listed = sm.listSecretVersionIds(r -> r.secretId("s"));
        assertThat(listed.versions()).extracting(SecretVersionsListEntry::versionId).containsExactly(T3, T2);
        ListSecretVersionIdsResponse all = sm.listSecretVersionIds(r -> r.secretId("s").includeDeprecated(true));
        assertThat(all.versions()).extracting(SecretVersionsListEntry::versionId).containsExactly(T3, T2, T1);
        assertThat(sm.getSecretValue(r -> r.secretId("s").versionId(T1)).secretString()).isEqualTo("v1");
    }

    @Test
    void versions_beyond100_oldDeprecatedOnesPrunedYoungOnesKept() {
        sm.createSecret(r -> r.name("s").secretString("v0").clientRequestToken(T1));
        IntStream.range(1, 105).forEach(i -> sm.putSecretValue(r -> r.secretId("s").secretString("v" + i)));
        assertThat(sm.listSecretVersionIds(r -> r.secretId("s").includeDeprecated(true).maxResults(100)).nextToken())
                .isNotNull();
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        sm.putSecretValue(r -> r.secretId("s").secretString("last"));

        List<SecretVersionsListEntry> first = sm.listSecretVersionIds(r -> r.secretId("s").includeDeprecated(true)
                .maxResults(100)).versions();
        assertThat(first).hasSize(100);
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("s").versionId(T1)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(current("s")).isEqualTo("last");
    }

    @Test
    void binarySecret_roundTrips() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        sm.createSecret(r -> r.name("bin").secretBinary(SdkBytes.fromByteArray(bytes)));
        GetSecretValueResponse r = sm.getSecretValue(g -> g.secretId("bin"));
        assertThat(r.secretBinary().asByteArray()).containsExactly(bytes);
        assertThat(r.secretString()).isNull();
    }

    @Test
    void values_upTo65536Bytes_areAcceptedStringAndBinary() {
        String text = "é".repeat(32_768); // 2 bytes each in UTF-8: exactly 65,536 bytes
        byte[] bytes = new byte[65_536];
        new java.util.Random(7).nextBytes(bytes);
        sm.createSecret(r -> r.name("max-text").secretString(text));
        sm.createSecret(r -> r.name("max-bin").secretBinary(SdkBytes.fromByteArray(bytes)));
        assertThat(current("max-text")).isEqualTo(text);
        assertThat(sm.getSecretValue(r -> r.secretId("max-bin")).secretBinary().asByteArray()).isEqualTo(bytes);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("max-text").secretString(text + "x")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("65537 bytes");
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("max-bin")
                .secretBinary(SdkBytes.fromByteArray(new byte[65_537])))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void updateSecret_changesDescriptionKmsKeyAndValue() {
        sm.createSecret(r -> r.name("s").secretString("v1").clientRequestToken(T1));
        String v = sm.updateSecret(r -> r.secretId("s").description("new").kmsKeyId("alias/k").secretString("v2")
                .clientRequestToken(T2)).versionId();
        assertThat(v).isEqualTo(T2);
        var d = sm.describeSecret(r -> r.secretId("s"));
        assertThat(d.description()).isEqualTo("new");
        assertThat(d.kmsKeyId()).isEqualTo("alias/k");
        assertThat(stagesOf("s", T1)).containsExactly("AWSPREVIOUS");
        assertThat(current("s")).isEqualTo("v2");
    }

    @Test
    void deletedSecret_answersInvalidRequestUntilRestored() {
        sm.createSecret(r -> r.name("s").secretString("v1"));
        DeleteSecretResponse d = sm.deleteSecret(r -> r.secretId("s").recoveryWindowInDays(7L));
        assertThat(d.deletionDate()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> current("s")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s").secretString("x")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> sm.rotateSecret(r -> r.secretId("s")))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(sm.describeSecret(r -> r.secretId("s")).deletedDate()).isEqualTo(d.deletionDate());
        assertThat(sm.listSecrets(r -> { }).secretList()).isEmpty();
        assertThat(sm.listSecrets(r -> r.includePlannedDeletion(true)).secretList()).hasSize(1);

        sm.restoreSecret(r -> r.secretId("s"));

        assertThat(current("s")).isEqualTo("v1");
        assertThat(sm.describeSecret(r -> r.secretId("s")).deletedDate()).isNull();
    }

    @Test
    void deleteSecret_rules() {
        sm.createSecret(r -> r.name("s").secretString("v1"));
        assertThatThrownBy(() -> sm.deleteSecret(r -> r.secretId("s").recoveryWindowInDays(3L)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.deleteSecret(r -> r.secretId("s").recoveryWindowInDays(7L)
                .forceDeleteWithoutRecovery(true))).isInstanceOf(InvalidParameterException.class);
        assertThat(sm.deleteSecret(r -> r.secretId("s")).deletionDate())
                .isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        sm.deleteSecret(r -> r.secretId("s").forceDeleteWithoutRecovery(true));
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("s")))
                .isInstanceOf(ResourceNotFoundException.class);
        sm.createSecret(r -> r.name("s").secretString("again"));
        assertThat(current("s")).isEqualTo("again");
    }

    @Test
    void tagsAndListSecretsFilters() {
        sm.createSecret(r -> r.name("prod/db").secretString("1").tags(t -> t.key("env").value("prod")));
        sm.createSecret(r -> r.name("dev/db").secretString("2"));
        sm.tagResource(r -> r.secretId("dev/db").tags(t -> t.key("env").value("dev"), t -> t.key("owner").value("me")));
        sm.untagResource(r -> r.secretId("dev/db").tagKeys("owner"));
        assertThat(sm.describeSecret(r -> r.secretId("dev/db")).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("env=dev");
        List<SecretListEntry> prod = sm.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.TAG_VALUE)
                .values("prod"))).secretList();
        assertThat(prod).extracting(SecretListEntry::name).containsExactly("prod/db");
        assertThat(prod.get(0).secretVersionsToStages()).hasSize(1);
        var page1 = sm.listSecrets(r -> r.maxResults(1));
        var page2 = sm.listSecrets(r -> r.maxResults(1).nextToken(page1.nextToken()));
        assertThat(page1.secretList().get(0).name()).isNotEqualTo(page2.secretList().get(0).name());
        assertThat(page2.nextToken()).isNull();
    }

    @Test
    void getRandomPassword_honoursOptions() {
        String p = sm.getRandomPassword(r -> r.passwordLength(40L).excludeCharacters("/@\"'\\:").excludePunctuation(false))
                .randomPassword();
        assertThat(p).hasSize(40).doesNotContain("/", "@", "\"", "'", "\\", ":");
        assertThatThrownBy(() -> sm.getRandomPassword(r -> r.passwordLength(0L)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void validationErrors_haveServiceExceptionNamesAndChangeNothing() {
        sm.createSecret(r -> r.name("s").secretString("keep-me").clientRequestToken(T1));
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("s").secretString("x")))
                .isInstanceOf(ResourceExistsException.class);
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("bad name").secretString("x")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s").secretString("x").clientRequestToken("short")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s").secretString("x".repeat(65_537))))
                .isInstanceOf(InvalidParameterException.class).hasMessageNotContaining("xxxx");
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("s").secretString("x")
                .secretBinary(SdkBytes.fromUtf8String("y")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("s").versionStage("AWSPENDING")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sm.rotateSecret(r -> r.secretId("s").rotationLambdaARN("arn:aws:lambda:x")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.rotateSecret(r -> r.secretId("s")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> sm.rotateSecret(r -> r.secretId("s")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:f")
                .rotationRules(rr -> rr.scheduleExpression("rate(1 hours)"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.listSecrets(r -> r.maxResults(500)))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(current("s")).isEqualTo("keep-me");
        assertThat(sm.listSecretVersionIds(r -> r.secretId("s").includeDeprecated(true)).versions()).hasSize(1);
        assertThat(sm.describeSecret(r -> r.secretId("s")).rotationEnabled()).isNull();
    }

    @Test
    void serviceErrors_carryRequestIdAndStatus400() {
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("nope")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).isNotBlank();
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                });
    }
}
