package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
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
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.ReplicateSecretToRegionsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/**
 * Multi-Region secrets through the real SDK v2 client, one client per region against the same server:
 * the server answers every region, by the signature's credential scope or the endpoint's host name. Each
 * test quotes the API reference or user guide statement it rests on.
 */
class ReplicationIT {
    private static final String READ_ONLY =
            "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
    private final List<AutoCloseable> open = new ArrayList<>();
    private LocalSecretsManager server;

    private LocalSecretsManager start(Path dataDir) {
        LocalSecretsManager.Builder b = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO);
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        server = b.build().start();
        open.add(server);
        return server;
    }

    private SecretsManagerClient client(String region) {
        return client(server.endpoint(), region);
    }

    private SecretsManagerClient client(URI endpoint, String region) {
        SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        open.add(c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static ReplicaRegionType region(String name) {
        return ReplicaRegionType.builder().region(name).build();
    }

    @Test
    void createSecretWithReplica_isReadableInTheReplicaRegion_withTheSameValueAndVersions() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        // CreateSecret AddReplicaRegions: "A list of Regions and KMS keys to replicate secrets." Response
        // ReplicationStatus: "InSync, which indicates that the replica was created."
        CreateSecretResponse created = east.createSecret(r -> r.name("app/db").secretString("v1")
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").kmsKeyId("alias/west").build()));
        assertThat(created.replicationStatus()).singleElement().satisfies(s -> {
            assertThat(s.region()).isEqualTo("eu-west-1");
            assertThat(s.status()).isEqualTo(StatusType.IN_SYNC);
            assertThat(s.kmsKeyId()).isEqualTo("alias/west");
        });
        // StopReplicationToReplica SecretId: "The replica ARN is the same as the original primary secret ARN
        // expect the Region is changed to the replica Region."
        String replicaArn = created.arn().replace(":us-east-1:", ":eu-west-1:");
        assertThat(west.getSecretValue(r -> r.secretId(replicaArn)).secretString()).isEqualTo("v1");
        assertThat(west.getSecretValue(r -> r.secretId("app/db")).arn()).isEqualTo(replicaArn);

        DescribeSecretResponse replica = west.describeSecret(r -> r.secretId("app/db"));
        DescribeSecretResponse primary = east.describeSecret(r -> r.secretId("app/db"));
        assertThat(replica.versionIdsToStages()).isEqualTo(primary.versionIdsToStages());
        // DescribeSecret PrimaryRegion: "The Region the secret is in. If a secret is replicated to other
        // Regions, the replicas are listed in ReplicationStatus."
        assertThat(replica.primaryRegion()).isEqualTo("us-east-1");
        assertThat(replica.kmsKeyId()).isEqualTo("alias/west");
        assertThat(primary.primaryRegion()).isEqualTo("us-east-1");
        assertThat(primary.replicationStatus()).extracting(ReplicationStatusType::region).containsExactly("eu-west-1");
        // ReplicationStatusType LastAccessedDate: "The date that the secret was last accessed in the Region."
        assertThat(primary.replicationStatus().get(0).lastAccessedDate()).isNotNull();

        // A secret in one region is not in another unless replicated there.
        east.createSecret(r -> r.name("only/east").secretString("e"));
        assertThatThrownBy(() -> west.getSecretValue(r -> r.secretId("only/east")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(west.listSecrets(r -> { }).secretList()).extracting(e -> e.name()).containsExactly("app/db");
    }

    @Test
    void changesToThePrimary_reachTheReplica_andTheReplicaIsReadOnly() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        east.createSecret(r -> r.name("app/db").secretString("v1").description("first")
                .addReplicaRegions(region("eu-west-1")));
        east.putSecretValue(r -> r.secretId("app/db").secretString("v2"));
        east.updateSecret(r -> r.secretId("app/db").description("second"));
        east.tagResource(r -> r.secretId("app/db").tags(t -> t.key("team").value("db")));
        assertThat(west.getSecretValue(r -> r.secretId("app/db")).secretString()).isEqualTo("v2");
        assertThat(west.getSecretValue(r -> r.secretId("app/db").versionStage("AWSPREVIOUS")).secretString())
                .isEqualTo("v1");
        DescribeSecretResponse replica = west.describeSecret(r -> r.secretId("app/db"));
        assertThat(replica.description()).isEqualTo("second");
        assertThat(replica.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=db");

        // "A replica secret can't be updated independently from its primary secret, except for its encryption
        // key." (user guide, Promote a replica secret to a standalone secret)
        List<Runnable> writes = List.of(
                () -> west.putSecretValue(r -> r.secretId("app/db").secretString("w")),
                () -> west.updateSecret(r -> r.secretId("app/db").secretString("w")),
                () -> west.updateSecret(r -> r.secretId("app/db").description("w")),
                () -> west.tagResource(r -> r.secretId("app/db").tags(t -> t.key("k").value("v"))),
                () -> west.untagResource(r -> r.secretId("app/db").tagKeys("team")),
                () -> west.deleteSecret(r -> r.secretId("app/db")),
                () -> west.deleteSecret(r -> r.secretId("app/db").forceDeleteWithoutRecovery(true)),
                () -> west.rotateSecret(r -> r.secretId("app/db")
                        .rotationLambdaARN("arn:aws:lambda:eu-west-1:123456789012:function:f")),
                () -> west.putResourcePolicy(r -> r.secretId("app/db").resourcePolicy("{\"Version\":\"2012-10-17\","
                        + "\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}")),
                () -> west.updateSecretVersionStage(r -> r.secretId("app/db").versionStage("X")
                        .moveToVersionId(replica.versionIdsToStages().keySet().iterator().next())),
                () -> west.replicateSecretToRegions(r -> r.secretId("app/db").addReplicaRegions(region("ap-south-1"))));
        for (Runnable write : writes) {
            assertThatThrownBy(write::run).isInstanceOf(InvalidParameterException.class).hasMessageContaining(READ_ONLY);
        }
        assertThat(west.getSecretValue(r -> r.secretId("app/db")).secretString()).isEqualTo("v2");

        west.updateSecret(r -> r.secretId("app/db").kmsKeyId("alias/west-key"));
        assertThat(west.describeSecret(r -> r.secretId("app/db")).kmsKeyId()).isEqualTo("alias/west-key");
        assertThat(east.describeSecret(r -> r.secretId("app/db")).replicationStatus().get(0).kmsKeyId())
                .isEqualTo("alias/west-key");
        assertThat(east.describeSecret(r -> r.secretId("app/db")).kmsKeyId()).isNull();
    }

    @Test
    void replicateToRegions_failsOnANameTaken_unlessForced_andRefusesItsOwnRegion() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        String primary = east.createSecret(r -> r.name("dup").secretString("s1")).arn();
        String theirs = west.createSecret(r -> r.name("dup").secretString("s2")).arn();
        // ReplicationStatusType StatusMessage: "Status message such as "Secret with this name already exists in
        // this region"."
        ReplicateSecretToRegionsResponse failed = east.replicateSecretToRegions(r -> r.secretId(primary)
                .addReplicaRegions(region("eu-west-1")));
        assertThat(failed.replicationStatus()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StatusType.FAILED);
            assertThat(s.statusMessage()).contains("already exists in region eu-west-1");
        });
        assertThat(west.getSecretValue(r -> r.secretId(theirs)).secretString()).isEqualTo("s2");

        // ForceOverwriteReplicaSecret: "Specifies whether to overwrite a secret with the same name in the
        // destination Region. By default, secrets aren't overwritten."
        ReplicateSecretToRegionsResponse forced = east.replicateSecretToRegions(r -> r.secretId(primary)
                .addReplicaRegions(region("eu-west-1")).forceOverwriteReplicaSecret(true));
        assertThat(forced.replicationStatus()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(StatusType.IN_SYNC));
        assertThat(west.getSecretValue(r -> r.secretId("dup")).secretString()).isEqualTo("s1");
        assertThatThrownBy(() -> west.getSecretValue(r -> r.secretId(theirs)))
                .isInstanceOf(ResourceNotFoundException.class);

        // ReplicaRegionType Region: "Pattern: ^([a-z]+-)+\d+$"; a secret is not replicated to its own Region.
        assertThatThrownBy(() -> east.replicateSecretToRegions(r -> r.secretId(primary)
                .addReplicaRegions(region("us-east-1")))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid replica region");
        assertThatThrownBy(() -> east.replicateSecretToRegions(r -> r.secretId(primary)
                .addReplicaRegions(region("Mars")))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid replica region");
        // CreateSecret checks AddReplicaRegions before it creates anything.
        assertThatThrownBy(() -> east.createSecret(r -> r.name("never").secretString("x")
                .addReplicaRegions(region("us-east-1")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> east.describeSecret(r -> r.secretId("never")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void removeRegions_deletesTheReplica_andAPrimaryWithReplicasCannotBeDeleted() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        SecretsManagerClient south = client("ap-south-1");
        String arn = east.createSecret(r -> r.name("multi").secretString("s")
                .addReplicaRegions(region("eu-west-1"), region("ap-south-1"))).arn();
        assertThatThrownBy(() -> east.deleteSecret(r -> r.secretId(arn)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("still has replica regions");

        // RemoveRegionsFromReplication: "For a secret that is replicated to other Regions, deletes the secret
        // replicas from the Regions you specify." ReplicationStatus: "The status of replicas for this secret after
        // you remove Regions."
        assertThat(east.removeRegionsFromReplication(r -> r.secretId(arn).removeReplicaRegions("eu-west-1"))
                .replicationStatus()).extracting(ReplicationStatusType::region).containsExactly("ap-south-1");
        assertThatThrownBy(() -> west.describeSecret(r -> r.secretId("multi")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(south.getSecretValue(r -> r.secretId("multi")).secretString()).isEqualTo("s");
        east.removeRegionsFromReplication(r -> r.secretId(arn).removeReplicaRegions("ap-south-1", "eu-west-1"));
        DescribeSecretResponse alone = east.describeSecret(r -> r.secretId(arn));
        assertThat(alone.replicationStatus()).isEmpty();
        assertThat(alone.primaryRegion()).isNull();
        east.deleteSecret(r -> r.secretId(arn).forceDeleteWithoutRecovery(true));
    }

    @Test
    void stopReplication_promotesTheReplica_whichThenStandsAlone() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        String arn = east.createSecret(r -> r.name("promo").secretString("v1")
                .addReplicaRegions(region("eu-west-1"))).arn();
        // StopReplicationToReplica: "Removes the link between the replica secret and the primary secret and
        // promotes the replica to a primary secret in the replica Region. You must call this operation from the
        // Region in which you want to promote the replica to a primary secret."
        assertThatThrownBy(() -> east.stopReplicationToReplica(r -> r.secretId(arn)))
                .isInstanceOf(InvalidRequestException.class);
        String promoted = west.stopReplicationToReplica(r -> r.secretId("promo")).arn();
        // ARN: "The ARN of the promoted secret. The ARN is the same as the original primary secret except the
        // Region is changed."
        assertThat(promoted).isEqualTo(arn.replace(":us-east-1:", ":eu-west-1:"));
        assertThat(east.describeSecret(r -> r.secretId(arn)).replicationStatus()).isEmpty();
        west.putSecretValue(r -> r.secretId("promo").secretString("west-only"));
        east.putSecretValue(r -> r.secretId("promo").secretString("east-only"));
        assertThat(west.getSecretValue(r -> r.secretId("promo")).secretString()).isEqualTo("west-only");
        assertThat(west.describeSecret(r -> r.secretId("promo")).primaryRegion()).isNull();
    }

    @Test
    void primaryRegionFilter_matchesReplicatedSecrets_byThePrimarysRegion() {
        start(null);
        SecretsManagerClient east = client("us-east-1");
        SecretsManagerClient west = client("eu-west-1");
        east.createSecret(r -> r.name("simple").secretString("s"));
        east.createSecret(r -> r.name("replicated").secretString("s").addReplicaRegions(region("eu-west-1")));
        // Filter primary-region: "Prefix match, case-sensitive."
        assertThat(east.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.PRIMARY_REGION)
                .values("us-east"))).secretList()).extracting(e -> e.name()).containsExactly("replicated");
        assertThat(west.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.PRIMARY_REGION)
                .values("us-east-1"))).secretList()).singleElement()
                .satisfies(e -> assertThat(e.primaryRegion()).isEqualTo("us-east-1"));
        assertThat(east.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.PRIMARY_REGION)
                .values("US-EAST-1"))).secretList()).isEmpty();
    }

    @Test
    void theEndpointHostNamesTheRegion_andMustAgreeWithTheCredentialScope() throws Exception {
        start(null);
        client("us-east-1").createSecret(r -> r.name("hosted").secretString("s")
                .addReplicaRegions(region("eu-west-1")));
        String host = "eu-west-1.localhost:" + server.endpoint().getPort();
        String body = "{\"SecretId\":\"hosted\"}";
        // Unsigned, the host alone chooses the region.
        RawHttp.Answer unsigned;
        try (RawHttp c = new RawHttp(server.endpoint())) {
            unsigned = c.send(RawHttp.request(host, "DescribeSecret", body)).read();
        }
        assertThat(unsigned.status()).isEqualTo(200);
        // Signed, the credential scope must not contradict the host (any signature is accepted without --iam).
        String scopedEast = RawHttp.request(host, "DescribeSecret", body).replaceFirst("\r\n",
                "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/secretsmanager/"
                        + "aws4_request, SignedHeaders=host, Signature=" + "0".repeat(64) + "\r\n");
        RawHttp.Answer contradicted;
        try (RawHttp c = new RawHttp(server.endpoint())) {
            contradicted = c.send(scopedEast).read();
        }
        assertThat(contradicted.status()).isEqualTo(400);
        assertThat(contradicted.body()).contains("InvalidSignatureException").contains("scoped to a valid region");
        assertThat(unsigned.body()).contains("arn:aws:secretsmanager:eu-west-1:");
    }

    @Test
    void replicasAndTheirLinkSurviveARestart(@TempDir Path dir) {
        start(dir);
        String arn = client("us-east-1").createSecret(r -> r.name("kept").secretString("v1")
                .addReplicaRegions(region("eu-west-1"))).arn();
        server.close();
        start(dir);
        assertThat(client("eu-west-1").getSecretValue(r -> r.secretId("kept")).secretString()).isEqualTo("v1");
        client("us-east-1").putSecretValue(r -> r.secretId(arn).secretString("v2"));
        assertThat(client("eu-west-1").getSecretValue(r -> r.secretId("kept")).secretString()).isEqualTo("v2");
        assertThat(dir.resolve("regions").resolve("eu-west-1").resolve("secrets")).isDirectory();
    }
}
