package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** Secrets another AWS service manages (an RDS master user secret), created through the Java seam, seen by the SDK. */
class ManagedSecretIT {
    private static final String NAME = "rds!db-0f3c2a1e-5d4b-4c3a-9b8e-7f6d5c4b3a21";
    private static final String INSTANCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:prod-db";
    private static final String VALUE = "{\"username\":\"admin\",\"password\":\"managed-master-pw-9\"}";

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

    private String createRdsSecret() {
        return server.createManagedSecret(NAME, "rds", VALUE, Map.of("aws:rds:primaryDBInstanceArn", INSTANCE_ARN));
    }

    @Test
    void createManagedSecret_isDescribedWithOwningServiceAndSystemTags() {
        String arn = createRdsSecret();
        assertThat(arn).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + NAME + "-");

        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(arn));
        assertThat(d.name()).isEqualTo(NAME);
        assertThat(d.owningService()).isEqualTo("rds");
        assertThat(d.tags()).containsExactlyInAnyOrder(
                Tag.builder().key("aws:rds:primaryDBInstanceArn").value(INSTANCE_ARN).build(),
                Tag.builder().key("aws:secretsmanager:owningService").value("rds").build());
        assertThat(sm.getSecretValue(r -> r.secretId(NAME)).secretString()).isEqualTo(VALUE);
        assertThat(sm.describeSecret(r -> r.secretId(arn)).versionIdsToStages().values())
                .singleElement().asList().containsExactly("AWSCURRENT");
    }

    @Test
    void listSecrets_showsOwningServiceAndFiltersByIt() {
        createRdsSecret();
        sm.createSecret(r -> r.name("own/secret").secretString("mine"));

        assertThat(sm.listSecrets(r -> { }).secretList())
                .extracting(SecretListEntry::name, SecretListEntry::owningService)
                .containsExactlyInAnyOrder(tuple(NAME, "rds"),
                        tuple("own/secret", null));
        assertThat(sm.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.OWNING_SERVICE).values("rds")))
                .secretList()).extracting(SecretListEntry::name).containsExactly(NAME);
        assertThat(sm.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.OWNING_SERVICE).values("RDS")))
                .secretList()).as("case-sensitive, as documented").isEmpty();
        assertThat(sm.listSecrets(r -> r.filters(f -> f.key(FilterNameStringType.OWNING_SERVICE).values("!rds")))
                .secretList()).extracting(SecretListEntry::name).containsExactly("own/secret");
    }

    @Test
    void systemTags_cannotBeAddedOrRemovedThroughTheApi() {
        String arn = createRdsSecret();
        assertThatThrownBy(() -> sm.untagResource(r -> r.secretId(arn).tagKeys("aws:rds:primaryDBInstanceArn")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("aws:");
        assertThatThrownBy(() -> sm.tagResource(r -> r.secretId(arn).tags(t -> t.key("aws:rds:other").value("x"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("aws:");
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("own/forged").secretString("x")
                .tags(t -> t.key("aws:secretsmanager:owningService").value("rds"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("aws:");
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("rds!db-forged").secretString("x")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(sm.describeSecret(r -> r.secretId(arn)).tags()).hasSize(2);
        sm.tagResource(r -> r.secretId(arn).tags(t -> t.key("team").value("db")));
        sm.untagResource(r -> r.secretId(arn).tagKeys("team"));
        assertThat(sm.describeSecret(r -> r.secretId(arn)).tags()).hasSize(2);
    }

    @Test
    void createManagedSecret_withBadInput_isRefusedAndCreatesNothing() {
        assertThatThrownBy(() -> server.createManagedSecret("rds!db-x", "rds", VALUE, Map.of("team", "db")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws:")
                .hasMessageNotContaining(VALUE);
        assertThatThrownBy(() -> server.createManagedSecret("rds!db-x", "RDS service", VALUE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owningService");
        assertThatThrownBy(() -> server.createManagedSecret("bad name", "rds", VALUE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(sm.listSecrets(r -> { }).secretList()).isEmpty();
        createRdsSecret();
        assertThatThrownBy(this::createRdsSecret)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }
}
