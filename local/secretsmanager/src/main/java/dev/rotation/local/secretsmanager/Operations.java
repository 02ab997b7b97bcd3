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
    private final SecretStore store;
    private final Rotator rotator;
    private final PasswordGenerator passwords = new PasswordGenerator();
    private final ObjectMapper json;

    Operations(SecretStore store, Rotator rotator, ObjectMapper json) {
        this.store = store;
        this.rotator = rotator;
        this.json = json;
    }

    JsonNode handle(String operation, JsonNode body) {
        Params p = new Params(body);
        return switch (operation) {
            case "CreateSecret" -> createSecret(p);
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
        if (p.has("AddReplicaRegions")) {
            throw ServiceException.invalidParameter("AddReplicaRegions is not supported by this local server: it "
                    + "has a single region.");
        }
        SecretStore.Ref r = store.createSecret(name, p.string("ClientRequestToken"), p.string("Description"),
                p.string("KmsKeyId"), value, p.tags("Tags"));
        return ref(r);
    }

    private JsonNode describeSecret(Params p) {
        Secret s = store.describe(p.requiredString("SecretId"));
        ObjectNode o = secretJson(s);
        ObjectNode stages = o.putObject("VersionIdsToStages");
        for (SecretVersion v : s.versionsNewestFirst()) {
            if (!v.deprecated()) {
                stages.set(v.versionId, labels(v));
            }
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
        SecretStore.Read r = store.getSecretValue(p.requiredString("SecretId"), p.string("VersionId"),
                p.string("VersionStage"));
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

    private JsonNode listSecrets(Params p) {
        List<SecretStore.Filter> filters = null;
        List<Params> raw = p.objectList("Filters");
        if (raw != null) {
            filters = new ArrayList<>();
            for (Params f : raw) {
                filters.add(new SecretStore.Filter(f.requiredString("Key"), f.stringList("Values")));
            }
        }
        SecretStore.SecretPage page = store.listSecrets(filters, Boolean.TRUE.equals(p.bool("IncludePlannedDeletion")),
                p.smallInteger("MaxResults"), p.string("NextToken"), p.string("SortOrder"), p.string("SortBy"));
        ObjectNode o = json.createObjectNode();
        ArrayNode list = o.putArray("SecretList");
        for (Secret s : page.secrets()) {
            ObjectNode e = secretJson(s);
            ObjectNode stages = e.putObject("SecretVersionsToStages");
            for (SecretVersion v : s.versionsNewestFirst()) {
                if (!v.deprecated()) {
                    stages.set(v.versionId, labels(v));
                }
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
