package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.secretsmanager.PolicyEvaluator.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * IAM's same-account evaluation, table-tested against the statements of the IAM User Guide ("Policy
 * evaluation logic", "IAM JSON policy elements: Condition operators") and the Secrets Manager user
 * guide's policy examples. Each row says the statement it rests on.
 */
class PolicyEvaluatorTest {
    private static final String ACCOUNT = "123456789012";
    private static final String USER = "arn:aws:iam::123456789012:user/carlos";
    private static final String ROOT = "arn:aws:iam::123456789012:root";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    private static final String GET = "secretsmanager:GetSecretValue";
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:rds-rotation-mysql";

    private static IamPolicy policy(String statementsJson) {
        try {
            return IamPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":" + statementsJson + "}");
        } catch (IamPolicy.Invalid e) {
            throw new AssertionError(e.getMessage());
        }
    }

    private static Map<String, List<String>> ctx(String... keyValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.computeIfAbsent(keyValues[i].toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(keyValues[i + 1]);
        }
        return m;
    }

    private static Decision decide(String identity, String resource, String principal, String action,
                                   Map<String, List<String>> context) {
        return PolicyEvaluator.evaluate(identity == null ? List.of() : List.of(policy(identity)),
                resource == null ? null : policy(resource),
                new PolicyEvaluator.Request(action, SECRET, principal, ACCOUNT, context));
    }

    static Stream<Arguments> table() {
        String allowGet = "[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]";
        String denyGetRp = "[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + USER + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]";
        String allowGetRp = "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + USER + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]";
        String allowAccountRp = "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ACCOUNT + "\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]";
        String denyAccountRp = "[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + ROOT + "\"},"
                + "\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]";
        String rotationRole = "[{\"Effect\":\"Allow\",\"Action\":[\"secretsmanager:DescribeSecret\","
                + "\"secretsmanager:GetSecretValue\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                + "{\"secretsmanager:resource/AllowRotationLambdaArn\":[\"" + FN + "\",\"" + FN + ":live\"]}}}]";
        return Stream.of(
                // "By default, all requests are implicitly denied"
                Arguments.of("no policy at all: implicit deny", null, null, USER, GET, ctx(), Decision.IMPLICIT_DENY),
                // "... with the exception of the AWS account root user, which has full access."
                Arguments.of("the root user without policies", null, null, ROOT, GET, ctx(), Decision.ALLOW),
                Arguments.of("an explicit deny applies to root too", null, denyAccountRp, ROOT, GET, ctx(),
                        Decision.DENIED_BY_RESOURCE_POLICY),
                // "If either the identity-based policy or the resource-based policy within the same account
                // allows the request and the other doesn't, the request is still allowed."
                Arguments.of("identity allow, no resource policy", allowGet, null, USER, GET, ctx(), Decision.ALLOW),
                Arguments.of("resource allow naming the user, no identity policy", null, allowGetRp, USER, GET, ctx(),
                        Decision.ALLOW),
                // "An explicit deny in any of the policies overrides the allow."
                Arguments.of("identity allow, resource deny", allowGet, denyGetRp, USER, GET, ctx(),
                        Decision.DENIED_BY_RESOURCE_POLICY),
                Arguments.of("identity deny, resource allow",
                        "[{\"Effect\":\"Deny\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]", allowGetRp,
                        USER, GET, ctx(), Decision.DENIED_BY_IDENTITY_POLICY),
                // Principal: an account delegates to the account's administrator ("permissions ... can be
                // granted to all identities contained in that account ... after the account administrator
                // delegates"): the user still needs an identity policy.
                Arguments.of("resource allow naming the account only", null, allowAccountRp, USER, GET, ctx(),
                        Decision.IMPLICIT_DENY),
                Arguments.of("resource deny naming the account covers its users", allowGet, denyAccountRp, USER, GET,
                        ctx(), Decision.DENIED_BY_RESOURCE_POLICY),
                // Action matching is case-insensitive with wildcards; NotAction allows everything else.
                Arguments.of("action wildcard", "[{\"Effect\":\"Allow\",\"Action\":\"SecretsManager:Get*\","
                        + "\"Resource\":\"*\"}]", null, USER, GET, ctx(), Decision.ALLOW),
                Arguments.of("NotAction excludes the action", "[{\"Effect\":\"Allow\",\"NotAction\":"
                        + "\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]", null, USER, GET, ctx(),
                        Decision.IMPLICIT_DENY),
                // Resource / NotResource with ARN wildcards.
                Arguments.of("resource pattern with the random suffix as ??????", "[{\"Effect\":\"Allow\",\"Action\":"
                        + "\"secretsmanager:GetSecretValue\",\"Resource\":"
                        + "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????\"}]", null, USER, GET,
                        ctx(), Decision.ALLOW),
                Arguments.of("NotResource excludes the secret", "[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"NotResource\":\"arn:aws:secretsmanager:*:*:secret:prod/*\"}]", null, USER, GET, ctx(),
                        Decision.IMPLICIT_DENY),
                // The rotation role's condition, as in template.yaml.
                Arguments.of("AllowRotationLambdaArn is the role's function", rotationRole, null, USER, GET,
                        ctx("secretsmanager:resource/AllowRotationLambdaArn", FN + ":live"), Decision.ALLOW),
                Arguments.of("AllowRotationLambdaArn is another function", rotationRole, null, USER, GET,
                        ctx("secretsmanager:resource/AllowRotationLambdaArn", FN + "-other"), Decision.IMPLICIT_DENY),
                // "If the key that you specify in a policy condition is not present in the request context,
                // the values do not match and the condition is false."
                Arguments.of("condition key absent: no match", rotationRole, null, USER, GET, ctx(),
                        Decision.IMPLICIT_DENY),
                // "If the policy condition requires that the key is not matched, such as StringNotLike or
                // ArnNotLike, and the right key is not present, the condition is true."
                Arguments.of("negated operator, key absent: true", "[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringNotLike\":{\"secretsmanager:VersionStage\":"
                        + "\"AWSPENDING\"}}}]", null, USER, GET, ctx(), Decision.ALLOW),
                // Negated operators with several values: none may match (logical AND).
                Arguments.of("StringNotEquals with two values, one matching", "[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"secretsmanager:VersionStage\":"
                        + "[\"AWSPENDING\",\"AWSPREVIOUS\"]}}}]", null, USER, GET,
                        ctx("secretsmanager:VersionStage", "AWSPREVIOUS"), Decision.IMPLICIT_DENY),
                // ...IfExists: "If the key is not present, the condition evaluates to true"
                Arguments.of("IfExists with the key absent", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"StringEqualsIfExists\":{\"secretsmanager:VersionStage\":"
                        + "\"AWSCURRENT\"}}}]", null, USER, GET, ctx(), Decision.ALLOW),
                Arguments.of("IfExists with another value", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"StringEqualsIfExists\":{\"secretsmanager:VersionStage\":"
                        + "\"AWSCURRENT\"}}}]", null, USER, GET, ctx("secretsmanager:VersionStage", "AWSPENDING"),
                        Decision.IMPLICIT_DENY),
                // Null: true means the key is absent.
                Arguments.of("Null true, key absent", "[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"Null\":{\"aws:ResourceTag/team\":\"true\"}}}]", null, USER, GET, ctx(),
                        Decision.DENIED_BY_IDENTITY_POLICY),
                // Tag conditions, StringLike, ArnLike, Bool, condition keys not case-sensitive.
                Arguments.of("ResourceTag StringLike", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringLike\":{\"SECRETSMANAGER:ResourceTag/Team\":\"plat*\"}}}]", null,
                        USER, GET, ctx("secretsmanager:ResourceTag/team", "platform"), Decision.ALLOW),
                Arguments.of("PrincipalArn ArnLike", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:user/car*\"}}}]", null,
                        USER, GET, ctx("aws:PrincipalArn", USER), Decision.ALLOW),
                Arguments.of("Bool SecureTransport false denies", allowGet.replace("]", ",{\"Effect\":\"Deny\","
                        + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":"
                        + "\"false\"}}}]"), null, USER, GET, ctx("aws:SecureTransport", "false"),
                        Decision.DENIED_BY_IDENTITY_POLICY),
                // ForAllValues / ForAnyValue over the multi-valued aws:TagKeys.
                Arguments.of("ForAllValues: every tag key listed", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"team\",\"env\"]}}}]",
                        null, USER, "secretsmanager:TagResource", ctx("aws:TagKeys", "team", "aws:TagKeys", "owner"),
                        Decision.IMPLICIT_DENY),
                Arguments.of("ForAnyValue: one tag key listed", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"team\"]}}}]", null, USER,
                        "secretsmanager:TagResource", ctx("aws:TagKeys", "team", "aws:TagKeys", "owner"),
                        Decision.ALLOW),
                // Numeric and IP conditions.
                Arguments.of("NumericLessThan on the recovery window", "[{\"Effect\":\"Deny\",\"Action\":\"*\","
                        + "\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"secretsmanager:RecoveryWindowInDays\""
                        + ":\"30\"}}}]", null, USER, "secretsmanager:DeleteSecret",
                        ctx("secretsmanager:RecoveryWindowInDays", "7"), Decision.DENIED_BY_IDENTITY_POLICY),
                Arguments.of("IpAddress in a CIDR", "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}}]", null, USER, GET,
                        ctx("aws:SourceIp", "127.0.0.1"), Decision.ALLOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void evaluate_followsTheDocumentedLogic(String what, String identity, String resource, String principal,
                                            String action, Map<String, List<String>> context, Decision expected) {
        assertThat(decide(identity, resource, principal, action, context)).as(what).isEqualTo(expected);
    }

    @Test
    void parse_withMalformedDocuments_namesTheProblem() {
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\"}]}"))
                .hasMessageContaining("Effect must be Allow or Deny");
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Condition\":{\"StringSortOf\":{\"a\":\"b\"}}}]}"))
                .hasMessageContaining("unknown operator StringSortOf");
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Allow\"}]}"))
                .hasMessageContaining("exactly one of Action and NotAction");
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Frobnicate\":1}]}"))
                .hasMessageContaining("unknown element Frobnicate");
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\": [")).hasMessageContaining("not valid JSON");
    }

    @Test
    void arnLike_checksEachOfTheSixComponentsSeparately() {
        // "Each of the six colon-delimited components of the ARN is checked separately"
        assertThat(PolicyEvaluator.arnLike("arn:aws:secretsmanager:*:*:secret:prod/*", SECRET)).isTrue();
        assertThat(PolicyEvaluator.arnLike("arn:aws:secretsmanager:*:secret:prod/*", SECRET)).isFalse();
        assertThat(PolicyEvaluator.arnLike("arn:aws:secretsmanager:eu-*:*:secret:*", SECRET)).isFalse();
    }
}
