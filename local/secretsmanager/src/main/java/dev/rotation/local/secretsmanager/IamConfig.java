package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The access keys a local Secrets Manager with access control accepts, each mapped to a principal (an
 * IAM user or role ARN) and that principal's identity-based policies. With one, every request must be
 * SigV4-signed with one of these keys, and is evaluated against the principal's policies and the
 * secret's resource policy (see {@link LocalSecretsManager.Builder#iam(IamConfig)}). Immutable;
 * {@code toString()} leaves out the secret access keys.
 *
 * <p>As a file ({@code serve --iam FILE}, read by {@link #parse}):
 * <pre>{@code
 * {"keys": [
 *   {"accessKeyId": "AKIAAPP0000000000001", "secretAccessKey": "...",
 *    "principal": "arn:aws:iam::123456789012:user/app",
 *    "policies": [{"Version": "2012-10-17", "Statement": [...]}]},
 *   {"accessKeyId": "AKIAROTATION00000001", "secretAccessKey": "...",
 *    "templateRole": "MySqlRotationFunctionRole"}
 * ]}
 * }</pre>
 * {@code templateRole} names an {@code AWS::IAM::Role} of the SAM template whose policies the key gets
 * (resolved by the caller of {@link #parse}); its principal is then
 * {@code arn:aws:iam::123456789012:role/<templateRole>} unless {@code principal} says otherwise.
 */
public final class IamConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern PRINCIPAL = Pattern.compile("arn:aws:iam::\\d{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)");

    /** One access key: who it is and what its identity policies allow. */
    record Key(String accessKeyId, String secretAccessKey, String principalArn, List<IamPolicy> policies) {
        @Override
        public String toString() {
            return "Key[" + accessKeyId + " -> " + principalArn + ", " + policies.size() + " policies]";
        }
    }

    private final Map<String, Key> keys;

    private IamConfig(Map<String, Key> keys) {
        this.keys = Map.copyOf(keys);
    }

    Map<String, Key> keys() {
        return keys;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the file format above. {@code templateRoles} gives the policy documents (JSON text) of a
     * template role by logical id, or throws IllegalArgumentException saying why it cannot.
     *
     * @throws IllegalArgumentException naming the problem (never a secret access key)
     */
    public static IamConfig parse(String json, Function<String, List<String>> templateRoles) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.path("keys").isArray() || root.path("keys").isEmpty()) {
            throw new IllegalArgumentException("the file must be {\"keys\": [...]} with at least one key");
        }
        Builder b = builder();
        int i = 0;
        for (JsonNode k : root.get("keys")) {
            String where = "keys[" + i++ + "]";
            String id = k.path("accessKeyId").asText(null);
            String secret = k.path("secretAccessKey").asText(null);
            if (id == null || secret == null) {
                throw new IllegalArgumentException(where + " needs accessKeyId and secretAccessKey");
            }
            String role = k.path("templateRole").asText(null);
            String principal = k.path("principal").asText(role == null ? null
                    : "arn:aws:iam::" + LocalSecretsManager.ACCOUNT_ID + ":role/" + role);
            if (principal == null) {
                throw new IllegalArgumentException(where + " needs a principal (an IAM user or role ARN) or a "
                        + "templateRole");
            }
            List<String> policies = new ArrayList<>();
            if (role != null) {
                policies.addAll(templateRoles.apply(role));
            }
            for (JsonNode p : k.path("policies")) {
                policies.add(p.toString());
            }
            try {
                b.key(id, secret, principal, policies);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "IamConfig" + keys.values();
    }

    /** Collects keys; {@link #build()} needs at least one. */
    public static final class Builder {
        private final Map<String, Key> keys = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds an access key for a principal with identity-based policies (JSON documents).
         *
         * @throws IllegalArgumentException if the key id or the principal is malformed, the key is listed
         *     twice, or a policy breaks the IAM policy grammar (the message says where)
         */
        public Builder key(String accessKeyId, String secretAccessKey, String principalArn, List<String> policies) {
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId == null || !ACCESS_KEY.matcher(accessKeyId).matches()) {
                throw new IllegalArgumentException("an access key id has 16 to 128 upper-case letters and digits, got '"
                        + Validation.printable(accessKeyId) + "'");
            }
            if (secretAccessKey.isEmpty()) {
                throw new IllegalArgumentException("the secret access key of " + accessKeyId + " is empty");
            }
            if (principalArn == null || !PRINCIPAL.matcher(principalArn).matches()
                    || !principalArn.startsWith("arn:aws:iam::" + LocalSecretsManager.ACCOUNT_ID + ":")) {
                throw new IllegalArgumentException("the principal of " + accessKeyId + " must be an IAM user, role or "
                        + "root ARN of account " + LocalSecretsManager.ACCOUNT_ID + ", got '"
                        + Validation.printable(principalArn) + "'");
            }
            if (keys.containsKey(accessKeyId)) {
                throw new IllegalArgumentException("the access key " + accessKeyId + " is listed twice");
            }
            List<IamPolicy> parsed = new ArrayList<>();
            int i = 0;
            for (String p : policies) {
                try {
                    parsed.add(IamPolicy.parse(p));
                } catch (IamPolicy.Invalid e) {
                    throw new IllegalArgumentException("policy " + i + " of " + principalArn + ": " + e.getMessage());
                }
                i++;
            }
            keys.put(accessKeyId, new Key(accessKeyId, secretAccessKey, principalArn, List.copyOf(parsed)));
            return this;
        }

        public IamConfig build() {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("access control needs at least one access key");
            }
            return new IamConfig(keys);
        }
    }
}
