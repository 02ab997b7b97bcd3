package dev.rotation.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An env-vars file as {@code sam local invoke --env-vars} reads it: an object keyed by a function's
 * logical id (or FunctionName) whose values override that function's variables, and an optional
 * {@code Parameters} object applied to every function first. Unlike SAM, variables the template does
 * not declare are added too: the template declares {@code SECRETS_MANAGER_ENDPOINT} only under a
 * condition, and a local run needs it.
 */
public final class EnvVarsFile {
    private final Map<String, Map<String, String>> byFunction;

    private EnvVarsFile(Map<String, Map<String, String>> byFunction) {
        this.byFunction = byFunction;
    }

    /** No overrides. */
    public static EnvVarsFile empty() {
        return new EnvVarsFile(Map.of());
    }

    public static EnvVarsFile read(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper().readTree(in);
        } catch (JsonProcessingException e) {
            throw new TemplateException("env-vars file " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TemplateException("cannot read env-vars file " + file + ": " + FileErrors.reason(e));
        }
        if (root == null || !root.isObject()) {
            throw new TemplateException("env-vars file " + file + " must hold a JSON object keyed by function");
        }
        Map<String, Map<String, String>> byFunction = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isObject()) {
                throw new TemplateException("env-vars file " + file + ": " + entry.getKey() + " must be an object");
            }
            Map<String, String> variables = new LinkedHashMap<>();
            entry.getValue().fields().forEachRemaining(v -> variables.put(v.getKey(),
                    v.getValue().isValueNode() ? v.getValue().asText() : v.getValue().toString()));
            byFunction.put(entry.getKey(), variables);
        });
        return new EnvVarsFile(byFunction);
    }

    /** The function with {@code Parameters} and then its own entry laid over its environment. */
    public FunctionDefinition apply(FunctionDefinition function) {
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        environment.putAll(byFunction.getOrDefault("Parameters", Map.of()));
        environment.putAll(byFunction.getOrDefault(function.functionName(), Map.of()));
        environment.putAll(byFunction.getOrDefault(function.logicalId(), Map.of()));
        return function.withEnvironment(environment);
    }
}
