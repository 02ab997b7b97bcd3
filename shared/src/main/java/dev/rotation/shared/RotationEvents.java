package dev.rotation.shared;

import dev.rotation.secret.Json;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads the event Secrets Manager sends ({@code {"Step", "SecretId", "ClientRequestToken",
 * "RotationToken"}}) with the SDK's small JSON parser. The functions take their event as a stream so
 * that the Lambda runtime does not deserialize it reflectively: its POJO serializer costs a cold start
 * Jackson databind and, for classes of the events library, Joda-Time (which would then have to be in
 * the deployment jar).
 */
final class RotationEvents {
    private RotationEvents() {
    }

    /**
     * @throws RotationException when the input is not a JSON object; keys that are missing or not
     *         strings are left null, for the handler's own checks to name
     */
    static SecretsManagerRotationEvent read(InputStream input) {
        String text;
        try {
            text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the invocation event failed", e);
        }
        Map<String, JsonNode> fields;
        try {
            fields = Json.parseObject(text, "the invocation event");
        } catch (IllegalArgumentException e) {
            throw new RotationException(e.getMessage());
        }
        return new SecretsManagerRotationEvent(string(fields, "Step"), string(fields, "SecretId"),
                string(fields, "ClientRequestToken"), string(fields, "RotationToken"));
    }

    private static String string(Map<String, JsonNode> fields, String key) {
        JsonNode node = fields.get(key);
        return node != null && node.isString() ? node.asString() : null;
    }
}
