package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One audit record in CloudTrail's event format (one JSON object), as the local Secrets Manager
 * writes it to its audit log and hands it to {@link AuditTrail.Listener}s. Immutable. Never holds a
 * secret value: request parameters leave out {@code SecretString} and {@code SecretBinary} as
 * CloudTrail does, and read operations have no response elements.
 *
 * <p>Three kinds, told apart by {@link #eventType()}:
 * <ul>
 * <li>{@code AwsApiCall}: a Secrets Manager operation someone called (also refused ones, with
 *     {@link #errorCode()}).</li>
 * <li>{@code AwsServiceEvent}: what the service did on its own: {@code RotationStarted},
 *     {@code RotationSucceeded}, {@code RotationFailed}, {@code RotationAbandoned},
 *     {@code TestRotationStarted} / {@code Succeeded} / {@code Failed}, {@code StartSecretVersionDelete},
 *     {@code CancelSecretVersionDelete}, {@code EndSecretVersionDelete}; the secret's ARN is in
 *     {@code additionalEventData.SecretId}, as CloudTrail has it.</li>
 * <li>{@code AwsApiCall} with event source {@code lambda.amazonaws.com} and name {@code Invoke}: each
 *     invocation of a rotation function by the service (a Lambda data event in CloudTrail), with the
 *     step in {@code additionalEventData} (a local addition: Lambda does not log the payload).</li>
 * </ul>
 */
public final class AuditEvent {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRETS_MANAGER = "secretsmanager.amazonaws.com";
    static final String LAMBDA = "lambda.amazonaws.com";

    private final ObjectNode json;
    private final String line;

    private AuditEvent(ObjectNode json) {
        this.json = json;
        try {
            this.line = JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit event could not be written as JSON", e);
        }
    }

    /** Parses one line of an audit log; throws IllegalArgumentException if it is not one. */
    public static AuditEvent parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject() || !node.path("eventName").isTextual()
                || !node.path("eventTime").isTextual()) {
            throw new IllegalArgumentException("not a CloudTrail event: eventName and eventTime are required");
        }
        try {
            Instant.parse(node.get("eventTime").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("eventTime is not an ISO-8601 instant");
        }
        return new AuditEvent((ObjectNode) node);
    }

    /** When it happened (CloudTrail records whole seconds). */
    public Instant eventTime() {
        return Instant.parse(json.get("eventTime").asText());
    }

    /** {@code secretsmanager.amazonaws.com}, or {@code lambda.amazonaws.com} for a function invocation. */
    public String eventSource() {
        return json.path("eventSource").asText();
    }

    /** The operation ({@code GetSecretValue}), the service event ({@code RotationFailed}) or {@code Invoke}. */
    public String eventName() {
        return json.get("eventName").asText();
    }

    /** {@code AwsApiCall} or {@code AwsServiceEvent}. */
    public String eventType() {
        return json.path("eventType").asText();
    }

    /** The error of a refused or failed call ({@code AccessDeniedException}), if any. */
    public Optional<String> errorCode() {
        return text(json.get("errorCode"));
    }

    /** The error's message (never a secret value), if any. */
    public Optional<String> errorMessage() {
        return text(json.get("errorMessage"));
    }

    /** The caller's principal ARN, when known (an API call signed with a key the server knows). */
    public Optional<String> principalArn() {
        return text(json.path("userIdentity").get("arn"));
    }

    /** The access key that signed the call, if it was signed. */
    public Optional<String> accessKeyId() {
        return text(json.path("userIdentity").get("accessKeyId"));
    }

    /** The service that acted (for service events and invocations): {@code secretsmanager.amazonaws.com}. */
    public Optional<String> invokedBy() {
        return text(json.path("userIdentity").get("invokedBy"));
    }

    /** The secret concerned, as an ARN when the server resolved it, else as the caller named it. */
    public Optional<String> secretId() {
        for (JsonNode r : json.path("resources")) {
            if ("AWS::SecretsManager::Secret".equals(r.path("type").asText())) {
                return text(r.get("ARN"));
            }
        }
        Optional<String> fromService = text(json.path("additionalEventData").get("SecretId"));
        if (fromService.isPresent()) {
            return fromService;
        }
        return text(json.path("requestParameters").get("secretId"));
    }

    /** The request id ({@code x-amzn-RequestId} of an API call). */
    public String requestId() {
        return json.path("requestID").asText();
    }

    /** The whole event as one line of JSON, as written to the audit log. */
    public String toJson() {
        return line;
    }

    /** A copy of the event's JSON, for fields this class has no accessor for. */
    public JsonNode json() {
        return json.deepCopy();
    }

    @Override
    public String toString() {
        return "AuditEvent[" + eventTime() + " " + eventSource() + " " + eventName() + secretId().map(s -> " " + s)
                .orElse("") + errorCode().map(e -> " " + e).orElse("") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEvent other && line.equals(other.line);
    }

    @Override
    public int hashCode() {
        return line.hashCode();
    }

    private static Optional<String> text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? Optional.empty() : Optional.of(n.asText());
    }

    // ---------------------------------------------------------------- building (the server's side)

    /** The caller of an API call, as CloudTrail's userIdentity shows it. */
    record Caller(String type, String principalArn, String accessKeyId, String accountId) {
        static Caller anonymous(String accessKeyId, String accountId) {
            return new Caller(null, null, accessKeyId, accountId);
        }
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static ObjectNode base(Instant time, String source, String name, String region) {
        ObjectNode o = JSON.createObjectNode();
        o.put("eventVersion", "1.08");
        o.putObject("userIdentity");
        o.put("eventTime", time(time));
        o.put("eventSource", source);
        o.put("eventName", name);
        o.put("awsRegion", region);
        return o;
    }

    /** An operation's record. {@code requestParameters} and {@code responseElements} are already scrubbed. */
    static AuditEvent apiCall(Instant time, String region, String operation, Caller caller, String sourceIp,
                              String userAgent, JsonNode requestParameters, JsonNode responseElements,
                              String errorCode, String errorMessage, String requestId, String secretArn,
                              boolean readOnly, String recipientAccountId) {
        ObjectNode o = base(time, SECRETS_MANAGER, operation, region);
        ObjectNode who = (ObjectNode) o.get("userIdentity");
        who.put("type", caller.type() == null ? "Unknown" : caller.type());
        if (caller.principalArn() != null) {
            who.put("principalId", caller.accessKeyId());
            who.put("arn", caller.principalArn());
        }
        who.put("accountId", caller.accountId());
        if (caller.accessKeyId() != null) {
            who.put("accessKeyId", caller.accessKeyId());
        }
        o.put("sourceIPAddress", sourceIp);
        o.put("userAgent", userAgent == null ? "" : Validation.printable(userAgent));
        o.set("requestParameters", requestParameters);
        o.set("responseElements", responseElements);
        if (errorCode != null) {
            o.put("errorCode", errorCode);
            o.put("errorMessage", errorMessage);
        }
        o.put("requestID", requestId);
        o.put("eventID", UUID.randomUUID().toString());
        o.put("readOnly", readOnly);
        if (secretArn != null) {
            o.putArray("resources").addObject().put("accountId", recipientAccountId)
                    .put("type", "AWS::SecretsManager::Secret").put("ARN", secretArn);
        }
        o.put("eventType", "AwsApiCall");
        o.put("managementEvent", true);
        o.put("recipientAccountId", recipientAccountId);
        o.put("eventCategory", "Management");
        return new AuditEvent(o);
    }

    /**
     * A service event as CloudTrail shows one, e.g. RotationSucceeded: invoked by the service, no
     * request or response, the secret in additionalEventData.SecretId, and a request id of the form
     * {@code Rotation-<arn>-<token>} for rotation events.
     */
    static AuditEvent serviceEvent(Instant time, String region, String name, String secretArn, String versionId,
                                   String accountId) {
        ObjectNode o = base(time, SECRETS_MANAGER, name, region);
        ((ObjectNode) o.get("userIdentity")).put("accountId", accountId).put("invokedBy", SECRETS_MANAGER);
        o.put("sourceIPAddress", SECRETS_MANAGER);
        o.put("userAgent", SECRETS_MANAGER);
        o.putNull("requestParameters");
        o.putNull("responseElements");
        ObjectNode extra = o.putObject("additionalEventData");
        extra.put("SecretId", secretArn);
        if (versionId != null) {
            extra.put("VersionId", versionId);
        }
        o.put("requestID", (name.contains("Rotation") ? "Rotation-" : "") + secretArn
                + (versionId == null ? "" : "-" + versionId));
        o.put("eventID", UUID.randomUUID().toString());
        o.put("readOnly", false);
        o.put("eventType", "AwsServiceEvent");
        o.put("managementEvent", true);
        o.put("recipientAccountId", accountId);
        o.put("eventCategory", "Management");
        return new AuditEvent(o);
    }

    /**
     * The service invoking a rotation function: Lambda's Invoke data event, called by
     * secretsmanager.amazonaws.com. {@code functionError} is Lambda's FunctionError kind ("Unhandled")
     * when the step failed; the failure's message stays out (a function's messages may quote values).
     */
    static AuditEvent lambdaInvoke(Instant time, String region, String functionArn, String secretArn, String step,
                                   String versionId, String functionError, String accountId) {
        ObjectNode o = base(time, LAMBDA, "Invoke", region);
        ((ObjectNode) o.get("userIdentity")).put("type", "AWSService").put("invokedBy", SECRETS_MANAGER);
        o.put("sourceIPAddress", SECRETS_MANAGER);
        o.put("userAgent", SECRETS_MANAGER);
        o.putObject("requestParameters").put("functionName", functionArn).put("invocationType", "RequestResponse");
        o.putNull("responseElements");
        ObjectNode extra = o.putObject("additionalEventData");
        extra.put("SecretId", secretArn).put("Step", step).put("ClientRequestToken", versionId);
        if (functionError != null) {
            extra.put("FunctionError", functionError);
        }
        o.put("requestID", UUID.randomUUID().toString());
        o.put("eventID", UUID.randomUUID().toString());
        o.put("readOnly", false);
        o.putArray("resources").addObject().put("accountId", accountId).put("type", "AWS::Lambda::Function")
                .put("ARN", Objects.requireNonNull(functionArn));
        o.put("eventType", "AwsApiCall");
        o.put("managementEvent", false);
        o.put("recipientAccountId", accountId);
        o.put("eventCategory", "Data");
        return new AuditEvent(o);
    }
}
