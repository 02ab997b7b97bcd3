package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.LimitExceededException;
import software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.secretsmanager.model.PublicPolicyException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.ValidateResourcePolicyResponse;

/**
 * The operations and rules added for issue 19, through the real SDK v2 client; each test quotes the
 * API reference statement it rests on.
 */
class ApiRulesIT {
    private LocalSecretsManager server;
    private SecretsManagerClient sm;

    @BeforeEach
    void start() {
        server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).build().start();
        sm = Sdk.client(server.endpoint());
    }

    @AfterEach
    void stop() {
        sm.close();
        server.close();
    }

    private List<String> names(Filter... filters) {
        return sm.listSecrets(r -> r.filters(filters)).secretList().stream().map(SecretListEntry::name).sorted().toList();
    }

    private static Filter filter(FilterNameStringType key, String... values) {
        return Filter.builder().key(key).values(values).build();
    }

    // ---------------------------------------------------------------- BatchGetSecretValue

    @Test
    void batchGet_bySecretIdList_returnsValuesAndPerSecretErrors() {
        sm.createSecret(r -> r.name("batch/a").secretString("value-a"));
        String arnB = sm.createSecret(r -> r.name("batch/b").secretString("value-b")).arn();
        // "If Secrets Manager encounters errors ... while attempting to retrieve any of the secrets, you can
        // see the errors in Errors in the response."
        BatchGetSecretValueResponse r = sm.batchGetSecretValue(b -> b.secretIdList("batch/a", arnB, "batch/none"));
        assertThat(r.secretValues()).extracting(v -> v.name() + "=" + v.secretString())
                .containsExactly("batch/a=value-a", "batch/b=value-b");
        assertThat(r.secretValues().get(0).versionStages()).containsExactly("AWSCURRENT");
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.secretId()).isEqualTo("batch/none");
            assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
        });
    }

    @Test
    void batchGet_byFilters_pagesWithMaxResults() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            sm.createSecret(r -> r.name("paged/" + n).secretString("v" + n));
        }
        sm.createSecret(r -> r.name("other").secretString("x"));
        // MaxResults: "If there are more results available, in the response, Secrets Manager includes
        // NextToken."
        BatchGetSecretValueResponse first = sm.batchGetSecretValue(b -> b.filters(filter(FilterNameStringType.NAME,
                "paged/")).maxResults(3));
        assertThat(first.secretValues()).hasSize(3);
        assertThat(first.nextToken()).isNotNull();
        BatchGetSecretValueResponse second = sm.batchGetSecretValue(b -> b.filters(filter(FilterNameStringType.NAME,
                "paged/")).maxResults(3).nextToken(first.nextToken()));
        assertThat(second.secretValues()).hasSize(2);
        assertThat(second.nextToken()).isNull();
        assertThat(List.of(first, second)).flatExtracting(BatchGetSecretValueResponse::secretValues)
                .extracting(v -> v.name()).containsExactlyInAnyOrder("paged/0", "paged/1", "paged/2", "paged/3",
                        "paged/4");
    }

    @Test
    void batchGet_withBothOrNeitherOrTooMany_isRefused() {
        // "You must include Filters or SecretIdList, but not both."
        assertThatThrownBy(() -> sm.batchGetSecretValue(b -> b.secretIdList("a")
                .filters(filter(FilterNameStringType.NAME, "a")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sm.batchGetSecretValue(b -> { })).isInstanceOf(InvalidParameterException.class);
        // SecretIdList: "Array Members: Minimum number of 1 item. Maximum number of 20 items."
        String[] many = new String[21];
        java.util.Arrays.setAll(many, i -> "s" + i);
        assertThatThrownBy(() -> sm.batchGetSecretValue(b -> b.secretIdList(many)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("1 to 20");
        // MaxResults: "To use this parameter, you must also use the Filters parameter."
        assertThatThrownBy(() -> sm.batchGetSecretValue(b -> b.secretIdList("a").maxResults(5)))
                .isInstanceOf(InvalidParameterException.class);
    }

    // ---------------------------------------------------------------- resource policies

    private static final String READ_BY_APP = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":"
            + "\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
    private static final String PUBLIC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

    @Test
    void resourcePolicy_putGetDelete_roundTrips() {
        String arn = sm.createSecret(r -> r.name("pol").secretString("v")).arn();
        assertThat(sm.getResourcePolicy(r -> r.secretId("pol")).resourcePolicy()).isNull();
        assertThat(sm.putResourcePolicy(r -> r.secretId("pol").resourcePolicy(READ_BY_APP)).arn()).isEqualTo(arn);
        assertThat(sm.getResourcePolicy(r -> r.secretId("pol")).resourcePolicy()).isEqualTo(READ_BY_APP);
        assertThat(sm.deleteResourcePolicy(r -> r.secretId("pol")).name()).isEqualTo("pol");
        assertThat(sm.getResourcePolicy(r -> r.secretId("pol")).resourcePolicy()).isNull();
    }

    @Test
    void putResourcePolicy_blockPublicPolicy_refusesAWildcardPrincipal() {
        sm.createSecret(r -> r.name("pub").secretString("v"));
        // BlockPublicPolicy: "Specifies whether to block resource-based policies that allow broad access to the
        // secret, for example those that use a wildcard for the principal. By default, public policies aren't
        // blocked."
        assertThatThrownBy(() -> sm.putResourcePolicy(r -> r.secretId("pub").resourcePolicy(PUBLIC)
                .blockPublicPolicy(true))).isInstanceOf(PublicPolicyException.class);
        assertThat(sm.getResourcePolicy(r -> r.secretId("pub")).resourcePolicy()).isNull();
        sm.putResourcePolicy(r -> r.secretId("pub").resourcePolicy(PUBLIC));
        assertThat(sm.getResourcePolicy(r -> r.secretId("pub")).resourcePolicy()).isEqualTo(PUBLIC);
        // A wildcard principal pinned to one account is not broad.
        sm.putResourcePolicy(r -> r.secretId("pub").blockPublicPolicy(true).resourcePolicy(PUBLIC.replace(
                "\"Resource\":\"*\"", "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":"
                        + "\"123456789012\"}}")));
    }

    @Test
    void putResourcePolicy_withMalformedPolicy_isRefusedAndChangesNothing() {
        sm.createSecret(r -> r.name("bad").secretString("v"));
        sm.putResourcePolicy(r -> r.secretId("bad").resourcePolicy(READ_BY_APP));
        // Errors: "MalformedPolicyDocumentException: The resource policy has syntax errors."
        assertThatThrownBy(() -> sm.putResourcePolicy(r -> r.secretId("bad").resourcePolicy("{\"Statement\":"
                + "[{\"Effect\":\"Perhaps\"}]}"))).isInstanceOf(MalformedPolicyDocumentException.class);
        assertThatThrownBy(() -> sm.putResourcePolicy(r -> r.secretId("bad").resourcePolicy("not json")))
                .isInstanceOf(MalformedPolicyDocumentException.class);
        assertThat(sm.getResourcePolicy(r -> r.secretId("bad")).resourcePolicy()).isEqualTo(READ_BY_APP);
    }

    @Test
    void validateResourcePolicy_reportsBroadAccessAndPassesAScopedPolicy() {
        // "Validates that a resource policy does not grant a wide range of principals access to your secret."
        ValidateResourcePolicyResponse broad = sm.validateResourcePolicy(r -> r.resourcePolicy(PUBLIC));
        assertThat(broad.policyValidationPassed()).isFalse();
        assertThat(broad.validationErrors()).singleElement()
                .satisfies(e -> assertThat(e.errorMessage()).contains("any principal"));
        ValidateResourcePolicyResponse scoped = sm.validateResourcePolicy(r -> r.resourcePolicy(READ_BY_APP));
        assertThat(scoped.policyValidationPassed()).isTrue();
        assertThat(scoped.validationErrors()).isEmpty();
    }

    // ---------------------------------------------------------------- rules the independent cases found

    @Test
    void listSecrets_filters_followTheFilterTypesCaseRules() {
        sm.createSecret(r -> r.name("Prod/App").description("Billing database").secretString("v")
                .tags(t -> t.key("Team").value("Platform")));
        sm.createSecret(r -> r.name("prod/other").secretString("v"));
        // "name: Prefix match, case-sensitive."
        assertThat(names(filter(FilterNameStringType.NAME, "Prod/"))).containsExactly("Prod/App");
        assertThat(names(filter(FilterNameStringType.NAME, "prod/"))).containsExactly("prod/other");
        // "tag-key: Prefix match, case-sensitive." "tag-value: Prefix match, case-sensitive."
        assertThat(names(filter(FilterNameStringType.TAG_KEY, "team"))).isEmpty();
        assertThat(names(filter(FilterNameStringType.TAG_VALUE, "Plat"))).containsExactly("Prod/App");
        // "description: Prefix match, not case-sensitive."
        assertThat(names(filter(FilterNameStringType.DESCRIPTION, "billing"))).containsExactly("Prod/App");
        // "all: Breaks the filter value string into words and then searches all attributes for matches. Not
        // case-sensitive."
        assertThat(names(filter(FilterNameStringType.ALL, "platform BILLING"))).containsExactly("Prod/App");
        assertThat(names(filter(FilterNameStringType.ALL, "platform nothing"))).isEmpty();
        assertThat(names(filter(FilterNameStringType.ALL, "other"))).containsExactly("prod/other");
        // "You can prefix your search value with an exclamation mark (!) in order to perform negation filters."
        assertThat(names(filter(FilterNameStringType.NAME, "!Prod"))).containsExactly("prod/other");
    }

    @Test
    void listSecrets_filterValues_areValidated() {
        // Values: "Minimum number of 1 item. Maximum number of 10 items. Length Constraints: Maximum length of
        // 512. Pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$"
        assertThatThrownBy(() -> names(filter(FilterNameStringType.NAME, "a", "b", "c", "d", "e", "f", "g", "h", "i",
                "j", "k"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> names(filter(FilterNameStringType.NAME, "x".repeat(513))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> names(filter(FilterNameStringType.NAME, "semi;colon")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void stagingLabels_atMostTwentyAcrossAllVersions() {
        sm.createSecret(r -> r.name("labels").secretString("v0"));
        // Quotas: "Staging labels attached across all versions of a secret: 20"
        for (int i = 1; i <= 19; i++) {
            int n = i;
            sm.putSecretValue(r -> r.secretId("labels").secretString("v" + n).versionStages("L" + n));
        }
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("labels").secretString("v20")
                .versionStages("L20"))).isInstanceOf(LimitExceededException.class).hasMessageContaining("20");
        // Moving an existing label is no new label.
        sm.putSecretValue(r -> r.secretId("labels").secretString("v21").versionStages("L1"));
    }

    @Test
    void emptySecretString_isRefused() {
        // SecretString: "Length Constraints: Minimum length of 1."
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("empty").secretString("")))
                .isInstanceOf(InvalidParameterException.class);
        sm.createSecret(r -> r.name("empty").secretString("x"));
        assertThatThrownBy(() -> sm.putSecretValue(r -> r.secretId("empty").secretString("")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void describeSecret_withTheDefaultKey_hasNoKmsKeyId() {
        // KmsKeyId in DescribeSecret: "If the secret is encrypted with the AWS managed key aws/secretsmanager,
        // this field is omitted."
        sm.createSecret(r -> r.name("kms").secretString("v"));
        assertThat(sm.describeSecret(r -> r.secretId("kms")).kmsKeyId()).isNull();
        sm.updateSecret(r -> r.secretId("kms").kmsKeyId("alias/custom"));
        assertThat(sm.describeSecret(r -> r.secretId("kms")).kmsKeyId()).isEqualTo("alias/custom");
        // UpdateSecret KmsKeyId: an empty value goes back to the AWS managed key.
        sm.updateSecret(r -> r.secretId("kms").kmsKeyId(""));
        assertThat(sm.describeSecret(r -> r.secretId("kms")).kmsKeyId()).isNull();
    }

    @Test
    void deleteSecret_forcedOnANonexistentSecret_succeeds() {
        // "If you forcibly delete an already deleted or nonexistent secret, the operation does not return
        // ResourceNotFoundException."
        var d = sm.deleteSecret(r -> r.secretId("never-existed-" + UUID.randomUUID()).forceDeleteWithoutRecovery(true));
        assertThat(d.name()).startsWith("never-existed-");
        assertThat(d.arn()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:never-existed-");
        sm.createSecret(r -> r.name("gone").secretString("v"));
        sm.deleteSecret(r -> r.secretId("gone").forceDeleteWithoutRecovery(true));
        sm.deleteSecret(r -> r.secretId("gone").forceDeleteWithoutRecovery(true));
    }

    @Test
    void putSecretValue_asCurrentDuringAnUnfinishedRotation_abandonsIt() {
        sm.createSecret(r -> r.name("abandon").secretString("v1"));
        String pending = sm.putSecretValue(r -> r.secretId("abandon").secretString("v2").versionStages("AWSPENDING"))
                .versionId();
        // RotationAbandoned: "When you manually create a new version of a secret, you send a message signalling
        // the abandonment of the current ongoing rotation in favor of the new secret version. As a result,
        // Secrets Manager removes the AWSPENDING label to allow future rotations to succeed"
        sm.putSecretValue(r -> r.secretId("abandon").secretString("v3"));
        assertThat(sm.describeSecret(r -> r.secretId("abandon")).versionIdsToStages()).doesNotContainKey(pending);
    }
}
