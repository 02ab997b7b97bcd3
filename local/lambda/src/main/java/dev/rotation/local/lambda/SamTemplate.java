package dev.rotation.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code AWS::Serverless::Function} resources of a SAM template, resolved as a deployment with the
 * parameters' defaults would resolve them (see {@link Intrinsics}). A resource's {@code Condition} is
 * deliberately ignored: a function that a real deployment would only create with a parameter set (the
 * alternating-users functions) can still be run locally.
 *
 * <pre>{@code
 * SamTemplate template = SamTemplate.read(Path.of("template.yaml"), "us-east-1", Map.of());
 * FunctionDefinition mysql = template.function("rds-rotation-mysql");   // FunctionName, logical id or ARN
 * }</pre>
 */
public final class SamTemplate {
    /** The account of the local Secrets Manager and of the local functions' ARNs. */
    public static final String ACCOUNT_ID = "123456789012";

    private final Path file;
    private final Map<String, FunctionDefinition> functions;
    private final TemplateRoles roles;

    private SamTemplate(Path file, Map<String, FunctionDefinition> functions, TemplateRoles roles) {
        this.file = file;
        this.functions = functions;
        this.roles = roles;
    }

    /**
     * Reads a template.
     *
     * @param parameterOverrides parameter values that replace the defaults (e.g. the env-vars file's
     *                           {@code Parameters}); may be empty
     */
    public static SamTemplate read(Path file, String region, Map<String, String> parameterOverrides) {
        Path absolute = file.toAbsolutePath().normalize();
        Map<String, Object> template = CloudFormationYaml.read(absolute);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("AWS::Region", region);
        parameters.put("AWS::AccountId", ACCOUNT_ID);
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::URLSuffix", "amazonaws.com");
        parameters.put("AWS::StackName", "local");
        parameters.put("AWS::StackId", "arn:aws:cloudformation:" + region + ":" + ACCOUNT_ID + ":stack/local/local");
        for (Map.Entry<String, Object> entry : section(template, "Parameters").entrySet()) {
            Map<String, Object> definition = asMap(entry.getValue());
            String type = String.valueOf(definition.getOrDefault("Type", "String"));
            Object value = parameterOverrides.containsKey(entry.getKey()) ? parameterOverrides.get(entry.getKey())
                    : definition.get("Default");
            if (value == null) {
                continue;
            }
            if (type.startsWith("List<") || type.equals("CommaDelimitedList")) {
                value = value instanceof List<?> ? value : Arrays.asList(String.valueOf(value).split(",", -1));
            } else {
                value = String.valueOf(value);
            }
            parameters.put(entry.getKey(), value);
        }
        Intrinsics intrinsics = new Intrinsics(parameters, section(template, "Conditions"));
        Map<String, Object> globals = asMap(intrinsics.resolve(asMap(section(template, "Globals").get("Function")))
                .orElse(Map.of()));
        Path baseDir = absolute.getParent();
        Map<String, FunctionDefinition> functions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : section(template, "Resources").entrySet()) {
            Map<String, Object> resource = asMap(entry.getValue());
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = asMap(intrinsics.resolve(asMap(resource.get("Properties"))).orElse(Map.of()));
            functions.put(entry.getKey(), function(entry.getKey(), globals, properties, baseDir));
        }
        return new SamTemplate(absolute, functions, TemplateRoles.of(section(template, "Resources"), intrinsics));
    }

    private static FunctionDefinition function(String logicalId, Map<String, Object> globals,
                                               Map<String, Object> properties, Path baseDir) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        merged.putAll(properties);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.putAll(variables(globals));
        environment.putAll(variables(properties));
        String handler = string(merged, "Handler")
                .orElseThrow(() -> new TemplateException(logicalId + " has no Handler"));
        String codeUri = string(merged, "CodeUri")
                .orElseThrow(() -> new TemplateException(logicalId + " has no CodeUri that can be resolved locally"));
        String functionName = string(properties, "FunctionName").orElse(logicalId);
        int memory = Integer.parseInt(string(merged, "MemorySize").orElse("128"));
        int timeoutSeconds = Integer.parseInt(string(merged, "Timeout").orElse("3"));
        return new FunctionDefinition(logicalId, functionName, handler, baseDir.resolve(codeUri).normalize(),
                string(merged, "Runtime").orElse("java21"), memory, Duration.ofSeconds(timeoutSeconds), environment);
    }

    private static Map<String, String> variables(Map<String, Object> functionProperties) {
        Map<String, Object> variables = asMap(asMap(functionProperties.get("Environment")).get("Variables"));
        Map<String, String> out = new LinkedHashMap<>();
        variables.forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof List)) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    private static Optional<String> string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null || value instanceof Map || value instanceof List ? Optional.empty()
                : Optional.of(String.valueOf(value));
    }

    private static Map<String, Object> section(Map<String, Object> template, String name) {
        return asMap(template.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The template's IAM roles and which function runs as which, for the local access control. */
    public TemplateRoles roles() {
        return roles;
    }

    /** The template file, absolute. */
    public Path file() {
        return file;
    }

    /** Every function, by logical id, in template order. */
    public Map<String, FunctionDefinition> functions() {
        return functions;
    }

    /**
     * The function named by a logical id, a FunctionName, or a Lambda ARN
     * ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}) whose NAME is one of those.
     */
    public Optional<FunctionDefinition> find(String nameOrArn) {
        String name = functionName(nameOrArn);
        FunctionDefinition byId = functions.get(name);
        if (byId != null) {
            return Optional.of(byId);
        }
        return functions.values().stream().filter(f -> f.functionName().equals(name)).findFirst();
    }

    /** Like {@link #find} but fails with the known names when there is no such function. */
    public FunctionDefinition function(String nameOrArn) {
        return find(nameOrArn).orElseThrow(() -> new TemplateException("no function " + nameOrArn + " in " + file
                + "; known: " + names()));
    }

    /** "LogicalId (FunctionName)" for every function, for messages. */
    public String names() {
        List<String> names = new ArrayList<>();
        functions.values().forEach(f -> names.add(f.logicalId() + " (" + f.functionName() + ")"));
        return String.join(", ", names);
    }

    /** NAME out of a Lambda function ARN, or the argument itself. */
    static String functionName(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            if (parts.length >= 7 && "lambda".equals(parts[2]) && "function".equals(parts[5])) {
                return parts[6];
            }
        }
        return nameOrArn;
    }
}
