package dev.rotation.local;

import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import dev.rotation.local.lambda.FunctionDefinition;
import picocli.CommandLine.Option;

/**
 * The options {@code invoke} and {@code preflight} share to run one function of the template, as
 * {@code sam local invoke} takes them: {@code --env-vars}, {@code --template}, {@code --region}.
 */
final class FunctionOptions {
    @Option(names = {"-n", "--env-vars"}, paramLabel = "ENV.json", description = "Environment overrides per "
            + "function, as sam local invoke --env-vars reads them.")
    Path envVars;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", description = "SAM template (default: "
            + "${DEFAULT-VALUE}).")
    Path templatePath = Path.of("template.yaml");

    @Option(names = "--region", paramLabel = "REGION", description = "Region of the function's ARN and "
            + "environment (default: ${DEFAULT-VALUE}).")
    String region = "us-east-1";

    /** The template's functions, with the env-vars file and {@code overrides} applied. */
    LocalFunctions functions(Map<String, String> overrides, BiConsumer<FunctionDefinition, String> logs) {
        EnvVarsFile env = envVars == null ? EnvVarsFile.empty() : EnvVarsFile.read(envVars);
        SamTemplate template;
        try {
            template = SamTemplate.read(templatePath, region, Map.of());
        } catch (TemplateException e) {
            throw Files.exists(templatePath) ? e
                    : new TemplateException(e.getMessage() + "; run from the project root or pass --template");
        }
        return LocalFunctions.builder(template).envVars(env).region(region).environmentOverrides(overrides)
                .logs(logs).build();
    }
}
