package dev.rotation.local.secretsmanager;

import java.util.List;
import java.util.Set;

/**
 * The checks PutResourcePolicy and ValidateResourcePolicy make on a secret's resource policy: "Checks
 * for correct syntax in a policy" (MalformedPolicyDocumentException), whether it allows "broad access to
 * your secret, for example policies that use a wildcard for the principal", and whether it "does not lock
 * out a caller".
 *
 * <p>The service asks Zelkova, an automated reasoning engine; this is a syntactic approximation: an
 * Allow statement is broad when its Principal is {@code *} (or {@code {"AWS": "*"}}), or a NotPrincipal,
 * and no condition pins the caller with an equality on a key that names the principal or its account
 * ({@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code aws:PrincipalOrgID}, {@code aws:SourceAccount},
 * {@code aws:SourceArn}, {@code aws:userid}, {@code aws:username}) to a value without wildcards. A policy
 * locks out when a Deny statement applies to every principal and every action without conditions.
 */
final class PolicyCheck {
    private static final Set<String> PINNING_KEYS = Set.of("aws:principalarn", "aws:principalaccount",
            "aws:principalorgid", "aws:sourceaccount", "aws:sourcearn", "aws:userid", "aws:username");
    private static final Set<String> EQUALITY = Set.of("StringEquals", "StringEqualsIgnoreCase", "ArnEquals",
            "ArnLike", "StringLike");

    /** Null members mean the check passed. */
    record Result(IamPolicy policy, String broadAccess, String lockOut) {
    }

    private PolicyCheck() {
    }

    /** Throws MalformedPolicyDocumentException if the policy is not a valid resource policy. */
    static Result check(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength) {
            throw malformed("ResourcePolicy must have 1 to " + maxLength + " characters, got " + text.length() + ".");
        }
        IamPolicy policy;
        try {
            policy = IamPolicy.parse(text);
        } catch (IamPolicy.Invalid e) {
            throw malformed("This resource policy contains a syntax error: " + e.getMessage() + ".");
        }
        String broad = null;
        String lockOut = null;
        int i = 0;
        for (IamPolicy.Statement s : policy.statements()) {
            String where = s.sid() != null ? "statement " + Validation.printable(s.sid()) : "statement " + i;
            if (s.principals() == null) {
                throw malformed("This resource policy contains a syntax error: " + where + " has no Principal; a "
                        + "resource policy names who it applies to.");
            }
            for (String a : s.actions()) {
                if (!a.equals("*") && !a.toLowerCase(java.util.Locale.ROOT).startsWith("secretsmanager:")) {
                    throw malformed("This resource policy contains a syntax error: " + where + " names the action "
                            + Validation.printable(a) + ", which is not a Secrets Manager action.");
                }
            }
            boolean everyone = s.notPrincipal() || s.principals().containsKey("*")
                    || s.principals().getOrDefault("AWS", List.of()).contains("*");
            if (s.allow() && everyone && broad == null && !pinned(s)) {
                broad = where + " allows any principal (a wildcard Principal) without a condition that limits it to "
                        + "an account or principal";
            }
            if (!s.allow() && everyone && !s.notPrincipal() && s.conditions().isEmpty() && !s.notAction()
                    && s.actions().stream().anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("secretsmanager:*"))
                    && lockOut == null) {
                lockOut = where + " denies every action to every principal, so no one could change the policy again";
            }
            i++;
        }
        return new Result(policy, broad, lockOut);
    }

    private static boolean pinned(IamPolicy.Statement s) {
        for (IamPolicy.Condition c : s.conditions()) {
            String op = c.operator();
            if (op.startsWith("ForAllValues:") || op.endsWith("IfExists")) {
                continue;
            }
            op = op.startsWith("ForAnyValue:") ? op.substring(12) : op;
            if (EQUALITY.contains(op) && PINNING_KEYS.contains(c.key())
                    && c.values().stream().noneMatch(v -> v.contains("*") || v.contains("?"))) {
                return true;
            }
        }
        return false;
    }

    private static ServiceException malformed(String message) {
        return ServiceException.of("MalformedPolicyDocumentException", message);
    }
}
