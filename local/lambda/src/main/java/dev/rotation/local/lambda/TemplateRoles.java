package dev.rotation.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM policies of a SAM template's {@code AWS::IAM::Role} resources, resolved as a deployment with the
 * parameters' defaults would resolve them, for the local Secrets Manager's access control
 * ({@code serve --iam}): a role's inline {@code Policies} and the template's own
 * {@code AWS::IAM::ManagedPolicy} resources it attaches ({@code ManagedPolicyArns: [!Ref X]}). AWS managed
 * policies it attaches (AWSLambdaBasicExecutionRole ...) grant nothing in Secrets Manager and are left out.
 * Also which role each function runs as ({@code Role: !GetAtt X.Arn}). Made by {@link SamTemplate#read}
 * from the same reading of the template as its functions: {@link SamTemplate#roles()}.
 */
public final class TemplateRoles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> policies;
    private final Map<String, String> functionRoles;

    private TemplateRoles(Map<String, List<String>> policies, Map<String, String> functionRoles) {
        this.policies = policies;
        this.functionRoles = functionRoles;
    }

    /** The roles among a template's {@code resources}, resolved by {@code intrinsics} ({@link SamTemplate#read}). */
    static TemplateRoles of(Map<String, Object> resources, Intrinsics intrinsics) {
        Map<String, List<String>> policies = new LinkedHashMap<>();
        Map<String, String> functionRoles = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            Map<String, Object> resource = map(e.getValue());
            Map<String, Object> properties = map(resource.get("Properties"));
            if ("AWS::IAM::Role".equals(resource.get("Type"))) {
                List<String> docs = new ArrayList<>();
                for (Object arn : list(properties.get("ManagedPolicyArns"))) {
                    // !Ref of the template's own managed policy: its document; anything else is AWS managed.
                    if (arn instanceof Map<?, ?> ref && ref.size() == 1 && ref.get("Ref") instanceof String id
                            && "AWS::IAM::ManagedPolicy".equals(map(resources.get(id)).get("Type"))) {
                        document(intrinsics, map(map(resources.get(id)).get("Properties")).get("PolicyDocument"))
                                .ifPresent(docs::add);
                    }
                }
                for (Object inline : list(properties.get("Policies"))) {
                    document(intrinsics, map(inline).get("PolicyDocument")).ifPresent(docs::add);
                }
                policies.put(e.getKey(), List.copyOf(docs));
            }
            if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
                Object role = properties.get("Role");
                if (role instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> args
                        && !args.isEmpty()) {
                    functionRoles.put(e.getKey(), String.valueOf(args.get(0)));
                }
            }
        }
        return new TemplateRoles(policies, functionRoles);
    }

    private static Optional<String> document(Intrinsics intrinsics, Object raw) {
        return intrinsics.resolve(raw).map(resolved -> {
            try {
                return JSON.writeValueAsString(resolved);
            } catch (JsonProcessingException e) {
                throw new TemplateException("a policy document cannot be written as JSON: " + e.getOriginalMessage());
            }
        });
    }

    /**
     * The policy documents (JSON) of the role {@code logicalId}; throws IllegalArgumentException naming the
     * template's roles when there is no such role.
     */
    public List<String> policies(String logicalId) {
        List<String> docs = policies.get(logicalId);
        if (docs == null) {
            throw new IllegalArgumentException("the template has no AWS::IAM::Role " + logicalId + " (roles: "
                    + String.join(", ", policies.keySet()) + ")");
        }
        return docs;
    }

    /** The logical id of the role the function {@code logicalId} runs as, if the template gives one. */
    public Optional<String> roleOf(String functionLogicalId) {
        return Optional.ofNullable(functionRoles.get(functionLogicalId));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
