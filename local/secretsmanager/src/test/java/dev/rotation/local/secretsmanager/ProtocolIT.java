package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire protocol with a plain HTTP client: unsigned requests, malformed input, error shapes. */
class ProtocolIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "wire-secret-value-123";

    private LocalSecretsManager server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).build().start();
        assertThat(call("CreateSecret", "{\"Name\":\"wire\",\"SecretString\":\"" + SECRET + "\"}").statusCode())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", "secretsmanager." + target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, String type) throws IOException {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("__type").asText()).isEqualTo(type);
        assertThat(json(r).path("message").asText()).isNotBlank();
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.body()).doesNotContain(SECRET);
    }

    @Test
    void unsignedRequest_isServedWithRequestIdAndEpochSecondTimestamps() throws Exception {
        HttpResponse<String> r = call("GetSecretValue", "{\"SecretId\":\"wire\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        JsonNode body = json(r);
        assertThat(body.path("SecretString").asText()).isEqualTo(SECRET);
        assertThat(body.path("CreatedDate").isNumber()).isTrue();
        assertThat(r.body()).matches(".*\"CreatedDate\":\\d{10}\\.\\d{3}.*");
    }

    @Test
    void malformedJson_isSerializationExceptionWithoutEchoingTheBody() throws Exception {
        assertError(call("PutSecretValue", "{\"SecretId\":\"wire\",\"SecretString\":\"" + SECRET + "\""),
                "SerializationException");
        assertError(call("PutSecretValue", "[1,2]"), "SerializationException");
        assertError(call("PutSecretValue", "{} trailing"), "SerializationException");
        assertThat(json(call("GetSecretValue", "{\"SecretId\":\"wire\"}")).path("VersionStages").toString())
                .contains("AWSCURRENT");
    }

    @Test
    void wrongTypedParameter_isSerializationExceptionNamingTheParameter() throws Exception {
        HttpResponse<String> r = call("GetSecretValue", "{\"SecretId\":42}");
        assertError(r, "SerializationException");
        assertThat(json(r).path("message").asText()).contains("SecretId");
        assertError(call("PutSecretValue", "{\"SecretId\":\"wire\",\"SecretString\":\"x\",\"VersionStages\":\"AWSCURRENT\"}"),
                "SerializationException");
        assertError(call("DeleteSecret", "{\"SecretId\":\"wire\",\"RecoveryWindowInDays\":\"7\"}"),
                "SerializationException");
        assertError(call("PutSecretValue", "{\"SecretId\":\"wire\",\"SecretBinary\":\"***\"}"),
                "SerializationException");
    }

    @Test
    void missingRequiredParameter_isInvalidParameterException() throws Exception {
        HttpResponse<String> r = call("GetSecretValue", "{}");
        assertError(r, "InvalidParameterException");
        assertThat(json(r).path("message").asText()).contains("SecretId");
    }

    @Test
    void unknownOperationOrMissingTarget_isUnknownOperationException() throws Exception {
        assertError(call("StealSecrets", "{}"), "UnknownOperationException");
        assertError(call(null, "{}"), "UnknownOperationException");
    }

    @Test
    void oversizedValue_isRefusedAndStoredVersionStays() throws Exception {
        String big = "x".repeat(65_537);
        HttpResponse<String> r = call("PutSecretValue", "{\"SecretId\":\"wire\",\"SecretString\":\"" + big + "\"}");
        assertError(r, "InvalidParameterException");
        assertThat(json(r).path("message").asText()).contains("65536").doesNotContain("xxxx");
        assertThat(json(call("GetSecretValue", "{\"SecretId\":\"wire\"}")).path("SecretString").asText())
                .isEqualTo(SECRET);
        HttpResponse<String> huge = call("PutSecretValue", "{\"SecretId\":\"wire\",\"SecretString\":\""
                + "y".repeat(2_000_000) + "\"}");
        assertError(huge, "SerializationException");
    }

    @Test
    void errorsDoNotLeakValues_onTokenConflict() throws Exception {
        String token = "11111111-2222-3333-4444-555555555555";
        call("PutSecretValue", "{\"SecretId\":\"wire\",\"ClientRequestToken\":\"" + token
                + "\",\"SecretString\":\"" + SECRET + "-a\"}");
        HttpResponse<String> r = call("PutSecretValue", "{\"SecretId\":\"wire\",\"ClientRequestToken\":\"" + token
                + "\",\"SecretString\":\"" + SECRET + "-b\"}");
        assertError(r, "ResourceExistsException");
    }

    @Test
    void garbageForEveryOperation_isNeverA500AndLosesNoVersion() throws Exception {
        List<String> operations = List.of("CreateSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue",
                "UpdateSecret", "UpdateSecretVersionStage", "ListSecretVersionIds", "ListSecrets",
                "GetRandomPassword", "RotateSecret", "CancelRotateSecret", "DeleteSecret", "RestoreSecret",
                "TagResource", "UntagResource");
        List<String> bodies = List.of("null", "\"text\"", "{\"SecretId\":[]}", "{\"SecretId\":{}}",
                "{\"SecretId\":\"wire\",\"Tags\":\"x\"}", "{\"SecretId\":\"wire\",\"Tags\":[1]}",
                "{\"SecretId\":\"wire\",\"TagKeys\":[null]}", "{\"SecretId\":\"wire\",\"RotationRules\":[]}",
                "{\"SecretId\":\"wire\",\"RotationRules\":{\"AutomaticallyAfterDays\":1e99}}",
                "{\"SecretId\":\"wire\",\"Filters\":[1]}", "{\"Filters\":[{\"Key\":5}]}",
                "{\"MaxResults\":99999999999}", "{\"PasswordLength\":-1}", "{\"SecretId\":\"wire\",\"VersionStages\":[]}",
                "{\"SecretId\":\"wire\",\"VersionStage\":\"\"}", "{\"Name\":\"\"}",
                "{\"SecretId\":\"" + "a".repeat(3000) + "\"}", "{\"SecretId\":\"wire\",\"NextToken\":\"%%%\"}");
        for (String op : operations) {
            for (String body : bodies) {
                HttpResponse<String> r = call(op, body);
                // Members an operation does not have are ignored, as the service does, so some succeed.
                assertThat(r.statusCode()).as("%s %s -> %s", op, body, r.body()).isIn(200, 400);
                if (r.statusCode() == 400) {
                    assertThat(json(r).path("__type").asText()).as("%s %s", op, body).isNotBlank();
                }
            }
        }
        assertThat(json(call("GetSecretValue", "{\"SecretId\":\"wire\"}")).path("SecretString").asText())
                .isEqualTo(SECRET);
    }

    @Test
    void binaryValue_travelsAsBase64() throws Exception {
        assertThat(call("CreateSecret", "{\"Name\":\"bin\",\"SecretBinary\":\"AAEC/w==\"}").statusCode())
                .isEqualTo(200);
        assertThat(json(call("GetSecretValue", "{\"SecretId\":\"bin\"}")).path("SecretBinary").asText())
                .isEqualTo("AAEC/w==");
    }

    @Test
    void describeSecret_showsRotationOutcomeInAMemberTheSdkIgnores() throws Exception {
        call("RotateSecret", "{\"SecretId\":\"wire\",\"RotationLambdaARN\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:none\"}");
        assertThat(server.awaitRotations(Duration.ofSeconds(30))).isTrue();
        JsonNode status = json(call("DescribeSecret", "{\"SecretId\":\"wire\"}")).path("LocalRotationStatus");
        assertThat(status.path("Status").asText()).isEqualTo("FAILED");
        assertThat(status.path("Step").asText()).isEqualTo("createSecret");
        assertThat(status.path("Reason").asText()).contains("no function");
    }
}
