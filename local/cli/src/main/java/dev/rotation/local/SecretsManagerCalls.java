package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A minimal AWS JSON 1.1 client for the demo: the same requests the AWS CLI sends (unsigned, which the
 * local server accepts), without pulling the AWS SDK into the local jar.
 */
final class SecretsManagerCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    SecretsManagerCalls(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Calls an operation; throws with the service's error type and message on a 4xx/5xx answer. */
    JsonNode call(String operation, Map<String, Object> request) {
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "secretsmanager." + operation)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)))
                    .build();
            HttpResponse<byte[]> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(operation + " failed: " + body.path("__type").asText()
                        + ": " + body.path("message").asText());
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(operation + " interrupted", e);
        }
    }
}
