package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The HTTP side of AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target: secretsmanager.<Op>}. Each
 * request is authenticated and authorized by {@link AccessControl} (which, without access control,
 * accepts any signature and unsigned requests), handed to {@link Operations}, and recorded in the
 * {@link AuditTrail}, in the region the request is for ({@link Regions}). Errors go out as {@code {"__type", "message"}} with HTTP 400 (500 for
 * InternalServiceError; the transport's own refusals carry their status); every response carries
 * {@code x-amzn-RequestId}.
 */
final class ApiHandler implements ApiServer.Handler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final String TARGET_PREFIX = "secretsmanager.";
    /** Members CloudTrail leaves out of requestParameters and responseElements: the values themselves. */
    private static final Set<String> VALUE_MEMBERS = Set.of("SecretString", "SecretBinary", "RandomPassword");
    static final Set<String> OPERATIONS = Set.of("BatchGetSecretValue", "CancelRotateSecret", "CreateSecret",
            "DeleteResourcePolicy", "DeleteSecret", "DescribeSecret", "GetRandomPassword", "GetResourcePolicy",
            "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "PutResourcePolicy", "PutSecretValue",
            "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "RestoreSecret", "RotateSecret",
            "StopReplicationToReplica", "TagResource", "UntagResource", "UpdateSecret", "UpdateSecretVersionStage",
            "ValidateResourcePolicy");
    private static final Set<String> READ_ONLY = Set.of("BatchGetSecretValue", "DescribeSecret", "GetRandomPassword",
            "GetResourcePolicy", "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "ValidateResourcePolicy");

    private final Regions regions;
    private final ObjectMapper json;
    private final AccessControl access;
    private final AuditTrail audit;

    ApiHandler(Regions regions, ObjectMapper json, AccessControl access, AuditTrail audit) {
        this.regions = regions;
        this.json = json;
        this.access = access;
        this.audit = audit;
    }

    /**
     * The region the request is for: its signature's credential scope, else the region its Host names
     * ({@code eu-west-1.localhost}), else the home region. A scope and a host that disagree are refused, as a
     * signature for another region's endpoint is.
     */
    private Regions.Region regionOf(ApiServer.Request request, AccessControl.Caller caller) {
        Optional<String> hosted = Regions.fromHost(request.header("host"));
        // Without access control any signature is accepted, and so is a scope that names no region.
        String scoped = SecretStore.isRegion(caller.region()) ? caller.region() : null;
        if (scoped != null && hosted.isPresent() && !scoped.equals(hosted.get())) {
            throw ServiceException.of("InvalidSignatureException", "Credential should be scoped to a valid region: "
                    + "the endpoint is in " + hosted.get() + ", the credential is scoped to "
                    + Validation.printable(scoped) + ".");
        }
        return regions.get(scoped != null ? scoped : hosted.orElse(regions.homeName()));
    }

    @Override
    public ApiServer.Response handle(ApiServer.Request request) {
        String requestId = UUID.randomUUID().toString();
        SecretStore home = regions.home().store();
        Instant at = home.now();
        String operation = null;
        JsonNode body = null;
        AccessControl.Caller caller = null;
        JsonNode result = null;
        ServiceException error = null;
        SecretStore store = home;
        List<Runnable> afterRecorded = new ArrayList<>(1);
        try {
            operation = operation(request);
            caller = access.authenticate(request);
            Regions.Region region = regionOf(request, caller);
            store = region.store();
            caller = caller.inRegion(store.region());
            SecretStore in = store;
            Operations operations = region.operations();
            body = parse(request.body());
            AccessControl.Caller who = caller;
            authorize(in, who, operation, body, request.remoteAddress());
            result = operations.handle(operation, body, new Operations.Call() {
                @Override
                public void authorize(String action, SecretStore.AccessView secret, String requestedId) {
                    access.authorize(who, action, secret, requestedId, Map.of(), request.remoteAddress(),
                            in.now(), in.accountId());
                }

                @Override
                public void recordRead(String secretId, String arn, ServiceException e) {
                    ObjectNode params = json.createObjectNode().put("secretId", secretId);
                    record(in, at, "GetSecretValue", who, request, params, null, e, requestId, arn);
                }

                @Override
                public void afterRecorded(Runnable action) {
                    afterRecorded.add(action);
                }
            });
            return response(200, null, result, requestId);
        } catch (ServiceException e) {
            error = e;
            return refuse(e, requestId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
            error = ServiceException.internal("An internal error occurred; request id " + requestId + ".");
            return refuse(error, requestId);
        } finally {
            try {
                if (operation != null) {
                    JsonNode params = body == null ? NullNode.getInstance() : scrub(body);
                    JsonNode response = result == null || READ_ONLY.contains(operation) ? NullNode.getInstance()
                            : scrub(result);
                    String arn = result != null && result.path("ARN").isTextual() ? result.get("ARN").asText() : null;
                    record(store, at, operation, caller, request, params, response, error, requestId, arn);
                }
            } finally {
                // A rotation the call has started runs even if its record could not be written.
                afterRecorded.forEach(Runnable::run);
            }
        }
    }

    private void record(SecretStore store, Instant at, String operation, AccessControl.Caller caller,
                        ApiServer.Request request,
                        JsonNode params, JsonNode response, ServiceException error, String requestId, String arn) {
        AuditEvent.Caller who = caller != null ? caller.forAudit(store.accountId())
                : AuditEvent.Caller.anonymous(null, store.accountId());
        audit.record(AuditEvent.apiCall(at, store.region(), operation, who, request.remoteAddress(),
                request.header("user-agent"), params, response == null ? NullNode.getInstance() : response,
                error == null ? null : error.type(), error == null ? null : error.getMessage(), requestId, arn,
                READ_ONLY.contains(operation), store.accountId()));
    }

    /** The request's members in CloudTrail's lowerCamelCase, without secret values, at every depth. */
    private JsonNode scrub(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = json.createObjectNode();
            node.fields().forEachRemaining(e -> {
                if (!VALUE_MEMBERS.contains(e.getKey())) {
                    out.set(lowerCamel(e.getKey()), scrub(e.getValue()));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(n -> out.add(scrub(n)));
            return out;
        }
        return node;
    }

    private static String lowerCamel(String name) {
        if (name.isEmpty() || Character.isLowerCase(name.charAt(0))) {
            return name;
        }
        // ARN -> arn, KmsKeyId -> kmsKeyId, RotationLambdaARN -> rotationLambdaARN, as CloudTrail writes them.
        int upper = 0;
        while (upper < name.length() && Character.isUpperCase(name.charAt(upper))) {
            upper++;
        }
        int cut = upper == name.length() ? upper : Math.max(1, upper - 1);
        return name.substring(0, cut).toLowerCase(Locale.ROOT) + name.substring(cut);
    }

    /**
     * The IAM checks an operation needs before it runs: its own action on the secret it names (or on
     * {@code *}), with the request's condition keys; BatchGetSecretValue with Filters also needs
     * ListSecrets, ValidateResourcePolicy also PutResourcePolicy (as the API reference lists them).
     */
    private void authorize(SecretStore store, AccessControl.Caller caller, String operation, JsonNode body,
                           String sourceIp) {
        if (!access.enabled()) {
            return;
        }
        String secretId = body.path("SecretId").isTextual() ? body.get("SecretId").asText() : null;
        Map<String, List<String>> keys = requestKeys(body);
        String requestedId = secretId;
        if (operation.equals("CreateSecret") && body.path("Name").isTextual()) {
            requestedId = body.get("Name").asText() + "-??????";
        }
        SecretStore.AccessView view = secretId == null ? null : store.accessView(secretId).orElse(null);
        List<String> actions = new ArrayList<>(List.of("secretsmanager:" + operation));
        if (operation.equals("BatchGetSecretValue") && body.has("Filters")) {
            actions.add("secretsmanager:ListSecrets");
        }
        if (operation.equals("ValidateResourcePolicy")) {
            actions.add("secretsmanager:PutResourcePolicy");
        }
        for (String action : actions) {
            access.authorize(caller, action, view, requestedId, keys, sourceIp, store.now(), store.accountId());
        }
    }

    /** The request's own condition keys (lower case), from its members. */
    private static Map<String, List<String>> requestKeys(JsonNode body) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, String> members = Map.of("VersionStage", "secretsmanager:versionstage",
                "VersionId", "secretsmanager:versionid", "Name", "secretsmanager:name",
                "Description", "secretsmanager:description", "KmsKeyId", "secretsmanager:kmskeyid",
                "RotationLambdaARN", "secretsmanager:rotationlambdaarn",
                "BlockPublicPolicy", "secretsmanager:blockpublicpolicy",
                "ForceDeleteWithoutRecovery", "secretsmanager:forcedeletewithoutrecovery",
                "RecoveryWindowInDays", "secretsmanager:recoverywindowindays");
        members.forEach((member, key) -> {
            JsonNode v = body.get(member);
            if (v != null && v.isValueNode() && !v.isNull()) {
                keys.put(key, List.of(v.asText()));
            }
        });
        List<String> tagKeys = new ArrayList<>();
        for (JsonNode t : body.path("Tags")) {
            if (t.path("Key").isTextual()) {
                tagKeys.add(t.get("Key").asText());
                keys.put("aws:requesttag/" + t.get("Key").asText().toLowerCase(Locale.ROOT),
                        List.of(t.path("Value").asText("")));
            }
        }
        for (JsonNode k : body.path("TagKeys")) {
            tagKeys.add(k.asText());
        }
        if (!tagKeys.isEmpty()) {
            keys.put("aws:tagkeys", List.copyOf(tagKeys));
        }
        return keys;
    }

    @Override
    public ApiServer.Response refuse(ServiceException e) {
        return refuse(e, UUID.randomUUID().toString());
    }

    private ApiServer.Response refuse(ServiceException e, String requestId) {
        ObjectNode o = json.createObjectNode();
        o.put("__type", e.type());
        o.put("message", e.getMessage());
        return response(e.status(), e.type(), o, requestId);
    }

    private ApiServer.Response response(int status, String errorType, JsonNode body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        try {
            return new ApiServer.Response(status, headers, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation the request names; refuses other methods, targets and unknown operations. */
    private static String operation(ApiServer.Request request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            throw ServiceException.of("UnknownOperationException", "Only POST requests are supported; this is the "
                    + "AWS JSON 1.1 Secrets Manager API.");
        }
        String target = request.header("x-amz-target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw ServiceException.of("UnknownOperationException", "The X-Amz-Target header must be "
                    + "secretsmanager.<Operation>, got " + (target == null ? "none" : "'" + Validation.printable(target)
                    + "'") + ".");
        }
        String operation = target.substring(TARGET_PREFIX.length());
        if (!OPERATIONS.contains(operation)) {
            throw ServiceException.of("UnknownOperationException", "The operation "
                    + Validation.printable(operation) + " is not supported by this local Secrets Manager.");
        }
        return operation;
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the body, which may hold a secret value: give the position only.
            JsonLocation at = e.getLocation();
            throw ServiceException.serialization("The request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw ServiceException.serialization("The request body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw ServiceException.serialization("The request body must be a JSON object.");
        }
        return node;
    }
}
