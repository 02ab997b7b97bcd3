package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Secrets Manager operations in AWS JSON 1.1: request members in, response members out,
 * everything else done by {@link SecretStore} and {@link Rotator}. Timestamps go out as epoch
 * seconds with a fraction, binary values as base64, as the SDKs and the CLI expect.
 */
final class Operations {
    /** BatchGetSecretValue: "Array Members: Minimum number of 1 item. Maximum number of 20 items." */
    static final int MAX_BATCH = 20;
    /** PutResourcePolicy: "Length Constraints: Minimum length of 1. Maximum length of 20480." */
    static final int MAX_POLICY = 20480;

    /**
     * What an operation may need to know about the request beyond its body: a check of the caller's
     * access to one secret (for the secrets a batch reads) and a record of each such read.
     */
    interface Call {
        /** Throws AccessDeniedException unless the caller may do {@code action} on the secret. */
        void authorize(String action, SecretStore.AccessView secret, String requestedId);

        /** Records a GetSecretValue that a BatchGetSecretValue made, as the service logs one per secret. */
        void recordRead(String secretId, String arn, ServiceException error);
    }

    private final SecretStore store;
    private final Rotator rotator;
    private final PasswordGenerator passwords = new PasswordGenerator();
    private final ObjectMapper json;

    Operations(SecretStore store, Rotator rotator, ObjectMapper json) {
        this.store = store;
        this.rotator = rotator;
        this.json = json;
    }

    JsonNode handle(String operation, JsonNode body, Call call) {
        Params p = new Params(body);
        return switch (operation) {
            case "BatchGetSecretValue" -> batchGetSecretValue(p, call);
            case "PutResourcePolicy" -> putResourcePolicy(p);
            case "GetResourcePolicy" -> {
                SecretStore.Policy policy = store.getResourcePolicy(p.requiredString("SecretId"));
                ObjectNode o = json.createObjectNode().put("ARN", policy.arn()).put("Name", policy.name());
                putIfSet(o, "ResourcePolicy", policy.policy());
                yield o;
            }
            case "DeleteResourcePolicy" -> ref(store.deleteResourcePolicy(p.requiredString("SecretId")));
            case "ValidateResourcePolicy" -> validateResourcePolicy(p);
            case "CreateSecret" -> createSecret(p);
            case "ReplicateSecretToRegions" -> replication(store.replicate(p.requiredString("SecretId"),
                    replicaRequests(p, true), Boolean.TRUE.equals(p.bool("ForceOverwriteReplicaSecret"))));
            case "RemoveRegionsFromReplication" -> replication(store.removeRegions(p.requiredString("SecretId"),
                    p.stringList("RemoveReplicaRegions")));
            case "StopReplicationToReplica" -> json.createObjectNode()
                    .put("ARN", store.stopReplication(p.requiredString("SecretId")).arn());
            case "DescribeSecret" -> describeSecret(p);
            case "GetSecretValue" -> getSecretValue(p);
            case "PutSecretValue" -> putSecretValue(p);
            case "UpdateSecret" -> updateSecret(p);
            case "UpdateSecretVersionStage" -> updateSecretVersionStage(p);
            case "ListSecretVersionIds" -> listSecretVersionIds(p);
            case "ListSecrets" -> listSecrets(p);
            case "GetRandomPassword" -> getRandomPassword(p);
            case "RotateSecret" -> rotateSecret(p);
            case "CancelRotateSecret" -> ref(store.cancelRotateSecret(p.requiredString("SecretId")));
            case "DeleteSecret" -> deleteSecret(p);
            case "RestoreSecret" -> ref(store.restoreSecret(p.requiredString("SecretId")));
            case "TagResource" -> {
                Map<String, String> tags = p.tags("Tags");
                if (tags == null) {
                    throw ServiceException.invalidParameter("The request is missing the required parameter Tags.");
                }
                store.tagResource(p.requiredString("SecretId"), tags);
                yield json.createObjectNode();
            }
            case "UntagResource" -> {
                List<String> keys = p.stringList("TagKeys");
                store.untagResource(p.requiredString("SecretId"), keys);
                yield json.createObjectNode();
            }
            default -> throw ServiceException.of("UnknownOperationException", "The operation "
                    + Validation.printable(operation) + " is not supported by this local Secrets Manager.");
        };
    }

    private JsonNode createSecret(Params p) {
        String name = p.requiredString("Name");
        SecretValue value = value(p);
        List<SecretStore.ReplicaRequest> replicas = replicaRequests(p, false);
        if (replicas != null) {
            store.validateReplicaRequests(replicas); // before the secret exists: bad input changes nothing
        }
        SecretStore.Ref r = store.createSecret(name, p.string("ClientRequestToken"), p.string("Description"),
                p.string("KmsKeyId"), value, p.tags("Tags"));
        ObjectNode o = ref(r);
        if (replicas != null) {
            SecretStore.Replication replicated = store.replicate(r.arn(), replicas,
                    Boolean.TRUE.equals(p.bool("ForceOverwriteReplicaSecret")));
            o.set("ReplicationStatus", replicationStatus(replicated.statuses()));
        }
        return o;
    }

    /** AddReplicaRegions: [{Region, KmsKeyId}]; null when absent (and not {@code required}). */
    private static List<SecretStore.ReplicaRequest> replicaRequests(Params p, boolean required) {
        List<Params> raw = p.objectList("AddReplicaRegions");
        if (raw == null) {
            if (required) {
                throw ServiceException.invalidParameter("The request is missing the required parameter "
                        + "AddReplicaRegions.");
            }
            return null;
        }
        List<SecretStore.ReplicaRequest> out = new ArrayList<>();
        for (Params r : raw) {
            out.add(new SecretStore.ReplicaRequest(r.string("Region"), r.string("KmsKeyId")));
        }
        return out;
    }

    private ObjectNode replication(SecretStore.Replication r) {
        ObjectNode o = json.createObjectNode().put("ARN", r.arn());
        o.set("ReplicationStatus", replicationStatus(r.statuses()));
        return o;
    }

    private ArrayNode replicationStatus(List<SecretStore.ReplicaStatus> statuses) {
        ArrayNode a = json.createArrayNode();
        for (SecretStore.ReplicaStatus st : statuses) {
            ObjectNode e = a.addObject().put("Region", st.region());
            putIfSet(e, "KmsKeyId", st.kmsKeyId());
            e.put("Status", st.status());
            putIfSet(e, "StatusMessage", st.statusMessage());
            time(e, "LastAccessedDate", st.lastAccessedDate());
        }
        return a;
    }

    private JsonNode describeSecret(Params p) {
        Secret s = store.summary(p.requiredString("SecretId"));
        ObjectNode o = secretJson(s);
        ObjectNode stages = o.putObject("VersionIdsToStages");
        for (SecretVersion v : s.labeledNewestFirst()) {
            stages.set(v.versionId, labels(v));
        }
        return o;
    }

    /** The members DescribeSecret and ListSecrets share. */
    private ObjectNode secretJson(Secret s) {
        ObjectNode o = json.createObjectNode();
        o.put("ARN", s.arn).put("Name", s.name);
        putIfSet(o, "Description", s.description);
        putIfSet(o, "KmsKeyId", s.kmsKeyId);
        putIfSet(o, "OwningService", s.owningService);
        if (s.rotationEnabled != null) {
            o.put("RotationEnabled", s.rotationEnabled);
        }
        putIfSet(o, "RotationLambdaARN", s.rotationLambdaArn);
        if (s.rotationRules != null) {
            ObjectNode r = o.putObject("RotationRules");
            if (s.rotationRules.automaticallyAfterDays() != null) {
                r.put("AutomaticallyAfterDays", s.rotationRules.automaticallyAfterDays());
            }
            putIfSet(r, "Duration", s.rotationRules.duration());
            putIfSet(r, "ScheduleExpression", s.rotationRules.scheduleExpression());
        }
        time(o, "LastRotatedDate", s.lastRotatedDate);
        time(o, "LastChangedDate", s.lastChangedDate);
        time(o, "LastAccessedDate", s.lastAccessedDate);
        time(o, "DeletedDate", s.deletedDate);
        store.nextRotationDate(s).ifPresent(t -> time(o, "NextRotationDate", t));
        if (!s.tags.isEmpty()) {
            ArrayNode tags = o.putArray("Tags");
            s.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        }
        time(o, "CreatedDate", s.createdDate);
        // "PrimaryRegion: The Region the secret is in. If a secret is replicated to other Regions, the replicas
        // are listed in ReplicationStatus." Shown for replicated secrets only (on a replica, its primary's).
        if (s.primaryRegion != null) {
            o.put("PrimaryRegion", s.primaryRegion);
        } else if (!s.replicas.isEmpty()) {
            o.put("PrimaryRegion", store.region());
            o.set("ReplicationStatus", replicationStatus(store.replicationStatus(s)));
        }
        if (s.lastOutcome != null) {
            // Not a member of the service's model: the SDKs and the CLI ignore it; tests and people read it.
            RotationOutcome r = s.lastOutcome;
            ObjectNode out = o.putObject("LocalRotationStatus");
            out.put("VersionId", r.versionId()).put("Status", r.status()).put("Attempts", r.attempts());
            putIfSet(out, "Step", r.step());
            putIfSet(out, "Reason", r.reason());
            time(out, "Date", r.date());
        }
        return o;
    }

    private JsonNode getSecretValue(Params p) {
        return valueJson(store.getSecretValue(p.requiredString("SecretId"), p.string("VersionId"),
                p.string("VersionStage")));
    }

    /** GetSecretValue's answer, also one entry of BatchGetSecretValue's SecretValues. */
    private ObjectNode valueJson(SecretStore.Read r) {
        ObjectNode o = json.createObjectNode();
        o.put("ARN", r.arn()).put("Name", r.name()).put("VersionId", r.versionId());
        if (r.value().isString()) {
            o.put("SecretString", r.value().string());
        } else {
            o.put("SecretBinary", Base64.getEncoder().encodeToString(r.value().binary()));
        }
        ArrayNode stages = o.putArray("VersionStages");
        r.stages().forEach(stages::add);
        time(o, "CreatedDate", r.createdDate());
        return o;
    }

    private JsonNode putSecretValue(Params p) {
        String id = p.requiredString("SecretId");
        SecretValue value = value(p);
        SecretStore.Written w = store.putSecretValue(id, p.string("ClientRequestToken"), value,
                p.stringList("VersionStages"));
        ObjectNode o = json.createObjectNode();
        o.put("ARN", w.arn()).put("Name", w.name()).put("VersionId", w.versionId());
        ArrayNode stages = o.putArray("VersionStages");
        w.stages().forEach(stages::add);
        return o;
    }

    private JsonNode updateSecret(Params p) {
        String id = p.requiredString("SecretId");
        SecretValue value = value(p);
        return ref(store.updateSecret(id, p.string("ClientRequestToken"), p.string("Description"),
                p.string("KmsKeyId"), value));
    }

    private JsonNode updateSecretVersionStage(Params p) {
        return ref(store.updateSecretVersionStage(p.requiredString("SecretId"), p.requiredString("VersionStage"),
                p.string("MoveToVersionId"), p.string("RemoveFromVersionId")));
    }

    private JsonNode listSecretVersionIds(Params p) {
        SecretStore.VersionPage page = store.listSecretVersionIds(p.requiredString("SecretId"),
                Boolean.TRUE.equals(p.bool("IncludeDeprecated")), p.smallInteger("MaxResults"),
                p.string("NextToken"));
        ObjectNode o = json.createObjectNode();
        ArrayNode versions = o.putArray("Versions");
        for (SecretVersion v : page.versions()) {
            ObjectNode vo = versions.addObject();
            vo.put("VersionId", v.versionId);
            vo.set("VersionStages", labels(v));
            time(vo, "LastAccessedDate", v.lastAccessedDate);
            time(vo, "CreatedDate", v.createdDate);
            if (page.secret().kmsKeyId != null) {
                vo.putArray("KmsKeyIds").add(page.secret().kmsKeyId);
            }
        }
        putIfSet(o, "NextToken", page.nextToken());
        o.put("ARN", page.secret().arn).put("Name", page.secret().name);
        return o;
    }

    private static List<SecretStore.Filter> filters(Params p) {
        List<Params> raw = p.objectList("Filters");
        if (raw == null) {
            return null;
        }
        List<SecretStore.Filter> filters = new ArrayList<>();
        for (Params f : raw) {
            filters.add(new SecretStore.Filter(f.string("Key"), f.stringList("Values")));
        }
        return filters;
    }

    private JsonNode listSecrets(Params p) {
        List<SecretStore.Filter> filters = filters(p);
        SecretStore.SecretPage page = store.listSecrets(filters, Boolean.TRUE.equals(p.bool("IncludePlannedDeletion")),
                p.smallInteger("MaxResults"), p.string("NextToken"), p.string("SortOrder"), p.string("SortBy"));
        ObjectNode o = json.createObjectNode();
        ArrayNode list = o.putArray("SecretList");
        for (Secret s : page.secrets()) {
            ObjectNode e = secretJson(s);
            ObjectNode stages = e.putObject("SecretVersionsToStages");
            for (SecretVersion v : s.labeledNewestFirst()) {
                stages.set(v.versionId, labels(v));
            }
            list.add(e);
        }
        putIfSet(o, "NextToken", page.nextToken());
        return o;
    }

    private JsonNode getRandomPassword(Params p) {
        String password = passwords.generate(new PasswordGenerator.Options(p.integer("PasswordLength"),
                p.string("ExcludeCharacters"), p.bool("ExcludeNumbers"), p.bool("ExcludePunctuation"),
                p.bool("ExcludeUppercase"), p.bool("ExcludeLowercase"), p.bool("IncludeSpace"),
                p.bool("RequireEachIncludedType")));
        return json.createObjectNode().put("RandomPassword", password);
    }

    private JsonNode rotateSecret(Params p) {
        String id = p.requiredString("SecretId");
        SecretStore.RulesInput rules = null;
        Params r = p.object("RotationRules");
        if (r != null) {
            rules = new SecretStore.RulesInput(r.integer("AutomaticallyAfterDays"), r.string("ScheduleExpression"),
                    r.string("Duration"));
        }
        Boolean immediately = p.bool("RotateImmediately");
        SecretStore.RotationTicket t = store.startRotation(id, p.string("ClientRequestToken"),
                p.string("RotationLambdaARN"), rules, immediately == null || immediately);
        rotator.submit(t);
        ObjectNode o = json.createObjectNode();
        o.put("ARN", t.arn()).put("Name", t.name()).put("VersionId", t.versionId());
        return o;
    }

    private JsonNode deleteSecret(Params p) {
        String id = p.requiredString("SecretId");
        SecretStore.Deleted d = store.deleteSecret(id, p.integer("RecoveryWindowInDays"),
                Boolean.TRUE.equals(p.bool("ForceDeleteWithoutRecovery")));
        ObjectNode o = json.createObjectNode();
        o.put("ARN", d.arn()).put("Name", d.name());
        time(o, "DeletionDate", d.deletionDate());
        return o;
    }

    private JsonNode batchGetSecretValue(Params p, Call call) {
        List<String> ids = p.stringList("SecretIdList");
        List<SecretStore.Filter> filters = filters(p);
        Integer maxResults = p.smallInteger("MaxResults");
        String nextToken = p.string("NextToken");
        // "You must include Filters or SecretIdList, but not both."
        if ((ids == null) == (filters == null)) {
            throw ServiceException.invalidParameter("Either SecretIdList or Filters must be included, but not both.");
        }
        ObjectNode o = json.createObjectNode();
        List<String> targets;
        if (ids != null) {
            // MaxResults: "To use this parameter, you must also use the Filters parameter."
            if (maxResults != null || nextToken != null) {
                throw ServiceException.invalidParameter("MaxResults and NextToken can only be used with Filters.");
            }
            if (ids.isEmpty() || ids.size() > MAX_BATCH) {
                throw ServiceException.invalidParameter("SecretIdList must list 1 to " + MAX_BATCH + " secrets, got "
                        + ids.size() + ".");
            }
            ids.forEach(Validation::secretId);
            targets = ids;
        } else {
            if (maxResults != null && (maxResults < 1 || maxResults > MAX_BATCH)) {
                throw ServiceException.invalidParameter("MaxResults must be between 1 and " + MAX_BATCH + ", got "
                        + maxResults + ".");
            }
            int max = maxResults == null ? MAX_BATCH : maxResults;
            int offset = Paging.offset(nextToken);
            List<Secret> all = store.matching(filters, false, null, null);
            targets = Paging.page(all, offset, max).stream().map(s -> s.arn).toList();
            putIfSet(o, "NextToken", Paging.nextToken(all.size(), offset, max));
        }
        ArrayNode values = o.putArray("SecretValues");
        ArrayNode errors = o.putArray("Errors");
        for (SecretStore.BatchItem item : store.batchGet(targets,
                (id, s) -> call.authorize("secretsmanager:GetSecretValue", store.viewOf(s), id))) {
            if (item.error() != null) {
                errors.addObject().put("SecretId", item.secretId()).put("ErrorCode", item.error().type())
                        .put("Message", item.error().getMessage());
                call.recordRead(item.secretId(), null, item.error());
                continue;
            }
            SecretStore.Read r = item.read();
            values.add(valueJson(r));
            call.recordRead(item.secretId(), r.arn(), null);
        }
        return o;
    }

    private JsonNode putResourcePolicy(Params p) {
        String id = p.requiredString("SecretId");
        String policy = p.requiredString("ResourcePolicy");
        PolicyCheck.Result check = PolicyCheck.check(policy, MAX_POLICY);
        // BlockPublicPolicy: "Specifies whether to block resource-based policies that allow broad access to
        // the secret, for example those that use a wildcard for the principal. By default, public policies
        // aren't blocked."
        if (Boolean.TRUE.equals(p.bool("BlockPublicPolicy")) && check.broadAccess() != null) {
            throw ServiceException.of("PublicPolicyException", "The BlockPublicPolicy parameter is set to true, and "
                    + "the resource policy did not prevent broad access to the secret: " + check.broadAccess());
        }
        return ref(store.putResourcePolicy(id, policy));
    }

    private JsonNode validateResourcePolicy(Params p) {
        String id = p.string("SecretId");
        String policy = p.requiredString("ResourcePolicy");
        if (id != null) {
            store.getResourcePolicy(id); // the secret must exist
        }
        PolicyCheck.Result check = PolicyCheck.check(policy, MAX_POLICY);
        ObjectNode o = json.createObjectNode();
        ArrayNode errors = json.createArrayNode();
        if (check.broadAccess() != null) {
            errors.addObject().put("CheckName", "BROAD_ACCESS").put("ErrorMessage", check.broadAccess());
        }
        if (check.lockOut() != null) {
            errors.addObject().put("CheckName", "LOCK_OUT").put("ErrorMessage", check.lockOut());
        }
        o.put("PolicyValidationPassed", errors.isEmpty());
        o.set("ValidationErrors", errors);
        return o;
    }

    /** SecretString or SecretBinary, at most one of them. */
    private static SecretValue value(Params p) {
        String string = p.string("SecretString");
        byte[] binary = p.blob("SecretBinary");
        if (string != null && binary != null) {
            throw ServiceException.invalidParameter("You can't specify both SecretString and SecretBinary.");
        }
        if (string != null) {
            return SecretValue.ofString(string);
        }
        return binary == null ? null : SecretValue.ofBinary(binary);
    }

    private ObjectNode ref(SecretStore.Ref r) {
        ObjectNode o = json.createObjectNode();
        o.put("ARN", r.arn()).put("Name", r.name());
        putIfSet(o, "VersionId", r.versionId());
        return o;
    }

    private ArrayNode labels(SecretVersion v) {
        ArrayNode a = json.createArrayNode();
        v.labels.forEach(a::add);
        return a;
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /** Epoch seconds with milliseconds, written plainly (1700000000.123), as AWS JSON timestamps are. */
    static void time(ObjectNode o, String field, Instant t) {
        if (t != null) {
            o.put(field, BigDecimal.valueOf(t.toEpochMilli(), 3));
        }
    }
}
