package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An IAM policy document (identity-based or resource-based), parsed and checked against the IAM JSON
 * policy grammar: {@code Version}, {@code Id}, and {@code Statement} (one object or a list) with
 * {@code Sid}, {@code Effect}, {@code Principal}/{@code NotPrincipal}, {@code Action}/{@code NotAction},
 * {@code Resource}/{@code NotResource} and {@code Condition}; a single string wherever a list may stand.
 * Immutable. A document that breaks the grammar is an {@link Invalid} naming the problem (never quoting
 * more than a name from the document).
 *
 * <p>The AWS SDK's iam-policy-builder does this parsing, but the registry reachable here does not serve
 * it; the grammar is small enough to check here with Jackson.
 */
final class IamPolicy {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");

    /** The document breaks the policy grammar; the message says where. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** One condition: operator (StringEquals, ForAnyValue:StringLike, ArnLikeIfExists ...), key, values. */
    record Condition(String operator, String key, List<String> values) {
    }

    /**
     * One statement. {@code principals} is null when the statement has no Principal (identity
     * policies); it maps a principal type (AWS, Service, Federated, CanonicalUser, or "*" for
     * {@code "Principal": "*"}) to its values.
     */
    record Statement(String sid, boolean allow, Map<String, List<String>> principals, boolean notPrincipal,
                     List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                     List<Condition> conditions) {
    }

    private final String version;
    private final List<Statement> statements;

    private IamPolicy(String version, List<Statement> statements) {
        this.version = version;
        this.statements = statements;
    }

    List<Statement> statements() {
        return statements;
    }

    String version() {
        return version;
    }

    static IamPolicy parse(String text) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("the policy is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        return of(root);
    }

    static IamPolicy of(JsonNode root) throws Invalid {
        if (root == null || !root.isObject()) {
            throw new Invalid("a policy is a JSON object");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("Version", "Id", "Statement").contains(f)) {
                throw new Invalid("unknown policy element " + Validation.printable(f)
                        + " (a policy has Version, Id and Statement)");
            }
        }
        String version = root.hasNonNull("Version") ? root.get("Version").asText() : "2008-10-17";
        if (!version.equals("2012-10-17") && !version.equals("2008-10-17")) {
            throw new Invalid("Version must be 2012-10-17 (or 2008-10-17), got " + Validation.printable(version));
        }
        JsonNode st = root.get("Statement");
        if (st == null || st.isNull()) {
            throw new Invalid("the policy has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (st.isArray()) {
            int i = 0;
            for (JsonNode s : st) {
                statements.add(statement(s, "Statement[" + i++ + "]"));
            }
        } else {
            statements.add(statement(st, "Statement"));
        }
        if (statements.isEmpty()) {
            throw new Invalid("the policy's Statement list is empty");
        }
        return new IamPolicy(version, List.copyOf(statements));
    }

    private static Statement statement(JsonNode s, String where) throws Invalid {
        if (!s.isObject()) {
            throw new Invalid(where + " is not an object");
        }
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!STATEMENT_KEYS.contains(f)) {
                throw new Invalid(where + " has an unknown element " + Validation.printable(f));
            }
        }
        String effect = s.path("Effect").asText(null);
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new Invalid(where + ".Effect must be Allow or Deny");
        }
        String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : null;
        boolean notAction = s.has("NotAction");
        if (notAction == s.has("Action")) {
            throw new Invalid(where + " needs exactly one of Action and NotAction");
        }
        List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"), where + "." + (notAction ? "NotAction"
                : "Action"));
        for (String a : actions) {
            if (!a.equals("*") && !a.matches("[A-Za-z0-9-]+:[A-Za-z0-9*?]+")) {
                throw new Invalid(where + " has an action that is not service:Action: " + Validation.printable(a));
            }
        }
        boolean notResource = s.has("NotResource");
        if (notResource && s.has("Resource")) {
            throw new Invalid(where + " has both Resource and NotResource");
        }
        List<String> resources = s.has("Resource") || notResource
                ? strings(s.get(notResource ? "NotResource" : "Resource"), where + ".Resource") : List.of();
        for (String r : resources) {
            if (!r.equals("*") && !r.startsWith("arn:")) {
                throw new Invalid(where + " has a resource that is not an ARN or *: " + Validation.printable(r));
            }
        }
        boolean notPrincipal = s.has("NotPrincipal");
        if (notPrincipal && s.has("Principal")) {
            throw new Invalid(where + " has both Principal and NotPrincipal");
        }
        Map<String, List<String>> principals = null;
        JsonNode p = s.get(notPrincipal ? "NotPrincipal" : "Principal");
        if (p != null) {
            principals = new LinkedHashMap<>();
            if (p.isTextual() && p.asText().equals("*")) {
                principals.put("*", List.of("*"));
            } else if (p.isObject()) {
                for (var it = p.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!Set.of("AWS", "Service", "Federated", "CanonicalUser").contains(e.getKey())) {
                        throw new Invalid(where + ".Principal has an unknown type " + Validation.printable(e.getKey()));
                    }
                    principals.put(e.getKey(), strings(e.getValue(), where + ".Principal." + e.getKey()));
                }
            } else {
                throw new Invalid(where + ".Principal must be \"*\" or an object such as {\"AWS\": \"ARN\"}");
            }
        }
        List<Condition> conditions = new ArrayList<>();
        JsonNode c = s.get("Condition");
        if (c != null) {
            if (!c.isObject()) {
                throw new Invalid(where + ".Condition must be an object of operators");
            }
            for (var ops = c.fields(); ops.hasNext(); ) {
                var op = ops.next();
                PolicyEvaluator.checkOperator(op.getKey(), where);
                if (!op.getValue().isObject()) {
                    throw new Invalid(where + ".Condition." + op.getKey() + " must map condition keys to values");
                }
                for (var keys = op.getValue().fields(); keys.hasNext(); ) {
                    var k = keys.next();
                    conditions.add(new Condition(op.getKey(), k.getKey().toLowerCase(Locale.ROOT),
                            strings(k.getValue(), where + ".Condition." + op.getKey() + "." + k.getKey())));
                }
            }
        }
        return new Statement(sid, effect.equals("Allow"), principals, notPrincipal, actions, notAction, resources,
                notResource, List.copyOf(conditions));
    }

    /** A string, number or boolean, or a non-empty list of them, as strings. */
    private static List<String> strings(JsonNode n, String where) throws Invalid {
        List<String> out = new ArrayList<>();
        if (n != null && n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
        } else if (n != null && n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isValueNode() || e.isNull()) {
                    throw new Invalid(where + " must list strings");
                }
                out.add(e.asText());
            }
        }
        if (out.isEmpty()) {
            throw new Invalid(where + " must be a string or a non-empty list of strings");
        }
        return List.copyOf(out);
    }
}
