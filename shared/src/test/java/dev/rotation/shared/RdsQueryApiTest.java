package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.rds.LocalRds;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RDS Query API calls against the local stand-in, over HTTP, signed. */
class RdsQueryApiTest {
    private static final String INSTANCE = "arn:aws:rds:eu-west-1:123456789012:db:orders-db";
    private static final String CLUSTER = "arn:aws:rds:eu-west-1:123456789012:cluster:orders";

    private final LocalRds rds = LocalRds.start();
    private final RdsQueryApi api = new RdsQueryApi(Map.of("RDS_ENDPOINT", rds.endpoint().toString(),
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret-key-not-shown", "AWS_REGION", "us-east-1"));

    @AfterEach
    void stop() {
        rds.close();
    }

    @Test
    void writerEndpoint_ofAnInstance_isItsEndpointAddressAndPort_signedForRdsInTheArnsRegion() {
        rds.putInstance(INSTANCE, "orders-db.abc.eu-west-1.rds.amazonaws.com", 5432);

        ServerAddress endpoint = api.writerEndpoint(INSTANCE);

        assertThat(endpoint).isEqualTo(new ServerAddress("orders-db.abc.eu-west-1.rds.amazonaws.com", 5432));
        assertThat(rds.requests()).singleElement().satisfies(request -> {
            assertThat(request.action()).isEqualTo("DescribeDBInstances");
            assertThat(request.identifier()).isEqualTo(INSTANCE);
            assertThat(request.authorization()).contains("Credential=AKIDEXAMPLE/").contains("/eu-west-1/rds/aws4_request");
        });
    }

    @Test
    void writerEndpoint_ofACluster_isItsWriterEndpoint() {
        rds.putCluster(CLUSTER, "orders.cluster-abc.eu-west-1.rds.amazonaws.com", 3306);

        assertThat(api.writerEndpoint(CLUSTER))
                .isEqualTo(new ServerAddress("orders.cluster-abc.eu-west-1.rds.amazonaws.com", 3306));
        assertThat(rds.requests()).singleElement().extracting(LocalRds.Request::action).isEqualTo("DescribeDBClusters");
    }

    @Test
    void writerEndpoint_ofAnUnknownInstance_failsWithTheServicesErrorCodeAndThePermissionNeeded() {
        assertThatThrownBy(() -> api.writerEndpoint(INSTANCE))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("DBInstanceNotFound")
                .hasMessageContaining("rds:DescribeDBInstances")
                .hasMessageNotContaining("secret-key-not-shown");
    }

    @Test
    void writerEndpoint_ofSomethingElse_failsWithoutAsking() {
        assertThatThrownBy(() -> api.writerEndpoint("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("is not the ARN of an RDS DB instance or cluster");
        assertThat(rds.requests()).isEmpty();
    }

    @Test
    void parse_refusesADocumentTypeDeclaration() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";

        assertThatThrownBy(() -> RdsQueryApi.parse(new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("not well-formed XML");
    }
}
