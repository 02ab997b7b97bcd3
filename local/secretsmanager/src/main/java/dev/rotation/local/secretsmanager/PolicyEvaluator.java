package dev.rotation.local.secretsmanager;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * IAM's policy evaluation for a request within one account, as the IAM User Guide's "Policy evaluation
 * logic" describes it, for the two policy types this server has: the caller's identity-based policies
 * and the secret's resource-based policy.
 * <ul>
 * <li>"By default, all requests are implicitly denied with the exception of the AWS account root user,
 *     which has full access."</li>
 * <li>"An explicit deny in any of the policies overrides the allow."</li>
 * <li>"If either the identity-based policy or the resource-based policy within the same account allows
 *     the request and the other doesn't, the request is still allowed."</li>
 * </ul>
 * A statement applies when its Principal (resource policies), Action/NotAction, Resource/NotResource and
 * every condition match. Conditions: "If the key that you specify in a policy condition is not present in
 * the request context, the values do not match and the condition is false. If the policy condition
 * requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not
 * present, the condition is true. This logic applies to all condition operators except ...IfExists and
 * Null check." Several values of one key are alternatives, except for negated operators, whose values
 * must all not match. Condition key names are not case-sensitive.
 */
final class PolicyEvaluator {
    enum Decision {
        ALLOW, IMPLICIT_DENY, DENIED_BY_IDENTITY_POLICY, DENIED_BY_RESOURCE_POLICY
    }

    /**
     * What a request is: the action ({@code secretsmanager:GetSecretValue}), the resource ARN ({@code *} for
     * actions without one), the caller's ARN, and the request context's keys (lower case) with their values.
     */
    record Request(String action, String resource, String principalArn, String accountId,
                   Map<String, List<String>> context) {
    }

    private static final Set<String> BASE_OPERATORS = Set.of(
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
            "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
            "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
            "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
            "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");

    private PolicyEvaluator() {
    }

    /** Throws if {@code operator} is not an IAM condition operator (with its IfExists and set qualifiers). */
    static void checkOperator(String operator, String where) throws IamPolicy.Invalid {
        String base = strip(operator);
        int colon = operator.indexOf(':');
        boolean qualified = colon >= 0;
        if (qualified && !Set.of("ForAnyValue", "ForAllValues").contains(operator.substring(0, colon))) {
            throw new IamPolicy.Invalid(where + ".Condition has an unknown set operator "
                    + Validation.printable(operator) + " (ForAnyValue: or ForAllValues:)");
        }
        if (!BASE_OPERATORS.contains(base) || (base.equals("Null") && !base.equals(withoutQualifier(operator)))) {
            throw new IamPolicy.Invalid(where + ".Condition has an unknown operator " + Validation.printable(operator));
        }
    }

    private static String withoutQualifier(String operator) {
        int colon = operator.indexOf(':');
        return colon < 0 ? operator : operator.substring(colon + 1);
    }

    private static String strip(String operator) {
        String op = withoutQualifier(operator);
        return op.endsWith("IfExists") && !op.equals("IfExists") ? op.substring(0, op.length() - 8) : op;
    }

    static Decision evaluate(List<IamPolicy> identityPolicies, IamPolicy resourcePolicy, Request request) {
        boolean allowed = request.principalArn().equals("arn:aws:iam::" + request.accountId() + ":root");
        for (IamPolicy p : identityPolicies) {
            for (IamPolicy.Statement s : p.statements()) {
                if (applies(s, request, false)) {
                    if (!s.allow()) {
                        return Decision.DENIED_BY_IDENTITY_POLICY;
                    }
                    allowed = true;
                }
            }
        }
        if (resourcePolicy != null) {
            for (IamPolicy.Statement s : resourcePolicy.statements()) {
                if (applies(s, request, true)) {
                    if (!s.allow()) {
                        return Decision.DENIED_BY_RESOURCE_POLICY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static boolean applies(IamPolicy.Statement s, Request r, boolean resourcePolicy) {
        if (resourcePolicy) {
            if (s.principals() == null || !(s.notPrincipal() != principalMatches(s, r))) {
                return false;
            }
        }
        boolean action = s.actions().stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT),
                r.action().toLowerCase(Locale.ROOT)));
        if (action == s.notAction()) {
            return false;
        }
        if (!s.resources().isEmpty() || !resourcePolicy) {
            boolean resource = s.resources().stream().anyMatch(p -> resourceMatches(p, r.resource()));
            if (resource == s.notResource()) {
                return false;
            }
        }
        for (IamPolicy.Condition c : s.conditions()) {
            if (!condition(c, r.context())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the statement's Principal names the caller. An account (its id or its root ARN) in an
     * Allow delegates to the account: within it, only the root user is granted by the resource policy
     * itself, other principals need their identity policy too ("the permissions in the policy statement
     * can be granted to all identities contained in that account ... after the account administrator
     * delegates"); in a Deny it covers every principal of the account.
     */
    private static boolean principalMatches(IamPolicy.Statement s, Request r) {
        String root = "arn:aws:iam::" + r.accountId() + ":root";
        for (Map.Entry<String, List<String>> e : s.principals().entrySet()) {
            if (e.getKey().equals("*")) {
                return true;
            }
            if (!e.getKey().equals("AWS")) {
                continue;
            }
            for (String p : e.getValue()) {
                if (p.equals("*") || p.equals(r.principalArn())) {
                    return true;
                }
                boolean account = p.equals(r.accountId()) || p.equals(root);
                if (account && (!s.allow() || r.principalArn().equals(root))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean resourceMatches(String pattern, String resource) {
        if (pattern.equals("*")) {
            return true;
        }
        return !resource.equals("*") && arnLike(pattern, resource);
    }

    // ---------------------------------------------------------------- conditions

    private static boolean condition(IamPolicy.Condition c, Map<String, List<String>> context) {
        String operator = c.operator();
        String qualifier = null;
        int colon = operator.indexOf(':');
        if (colon > 0) {
            qualifier = operator.substring(0, colon);
            operator = operator.substring(colon + 1);
        }
        boolean ifExists = operator.endsWith("IfExists");
        String base = strip(operator);
        List<String> present = context.get(c.key());
        if (base.equals("Null")) {
            boolean wantAbsent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return (present == null || present.isEmpty()) == wantAbsent;
        }
        boolean negated = base.contains("Not");
        if (present == null || present.isEmpty()) {
            // ForAllValues over no values is true: "ForAllValues returns true if there are no context keys".
            return ifExists || negated || "ForAllValues".equals(qualifier);
        }
        BiPredicate<String, String> match = matcher(base.replace("Not", ""));
        if ("ForAllValues".equals(qualifier)) {
            return present.stream().allMatch(v -> negated
                    ? c.values().stream().noneMatch(p -> match.test(p, v))
                    : c.values().stream().anyMatch(p -> match.test(p, v)));
        }
        // Single-valued keys, and ForAnyValue: some value of the request matches.
        return present.stream().anyMatch(v -> negated
                ? c.values().stream().noneMatch(p -> match.test(p, v))
                : c.values().stream().anyMatch(p -> match.test(p, v)));
    }

    /** (policy value, request value) -> matches, for the positive form of an operator. */
    private static BiPredicate<String, String> matcher(String positive) {
        return switch (positive) {
            case "StringEquals" -> String::equals;
            case "StringEqualsIgnoreCase" -> String::equalsIgnoreCase;
            case "StringLike" -> PolicyEvaluator::wildcard;
            case "ArnEquals", "ArnLike" -> PolicyEvaluator::arnLike;
            case "Bool" -> (p, v) -> p.equalsIgnoreCase(v);
            case "BinaryEquals" -> String::equals;
            case "NumericEquals" -> (p, v) -> compareNumbers(p, v) == 0;
            case "NumericLessThan" -> (p, v) -> compareNumbers(v, p) < 0;
            case "NumericLessThanEquals" -> (p, v) -> compareNumbers(v, p) <= 0;
            case "NumericGreaterThan" -> (p, v) -> compareNumbers(v, p) > 0;
            case "NumericGreaterThanEquals" -> (p, v) -> compareNumbers(v, p) >= 0;
            case "DateEquals" -> (p, v) -> compareDates(p, v) == 0;
            case "DateLessThan" -> (p, v) -> compareDates(v, p) < 0;
            case "DateLessThanEquals" -> (p, v) -> compareDates(v, p) <= 0;
            case "DateGreaterThan" -> (p, v) -> compareDates(v, p) > 0;
            case "DateGreaterThanEquals" -> (p, v) -> compareDates(v, p) >= 0;
            case "IpAddress" -> PolicyEvaluator::inCidr;
            default -> (p, v) -> false;
        };
    }

    private static int compareNumbers(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE; // not a number: no comparison holds
        }
    }

    private static int compareDates(String a, String b) {
        try {
            return date(a).compareTo(date(b));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static Instant date(String s) {
        return s.matches("\\d+") ? Instant.ofEpochSecond(Long.parseLong(s)) : Instant.parse(s);
    }

    private static boolean inCidr(String cidr, String ip) {
        try {
            String[] parts = cidr.split("/", 2);
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] addr = InetAddress.getByName(ip).getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** IAM's {@code *} (any run of characters) and {@code ?} (one character), case-sensitive. */
    static boolean wildcard(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /**
     * ArnLike: "Each of the six colon-delimited components of the ARN is checked separately and each can
     * include multi-character match wildcards (*) or single-character match wildcards (?)."
     */
    static boolean arnLike(String pattern, String arn) {
        String[] p = pattern.split(":", 6);
        String[] a = arn.split(":", 6);
        if (p.length != 6 || a.length != 6) {
            return pattern.equals(arn);
        }
        for (int i = 0; i < 6; i++) {
            if (!wildcard(p[i], a[i])) {
                return false;
            }
        }
        return true;
    }
}
