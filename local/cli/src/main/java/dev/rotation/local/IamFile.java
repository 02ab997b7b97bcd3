package dev.rotation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotation.local.lambda.EnvVarsFile;
import dev.rotation.local.lambda.FileErrors;
import dev.rotation.local.lambda.FunctionDefinition;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.lambda.TemplateRoles;
import dev.rotation.local.secretsmanager.IamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code serve --iam FILE}: the access keys of {@link IamConfig}'s file format, with {@code templateRole}
 * resolved from the SAM template's roles ({@link TemplateRoles}), and the keys each of the template's
 * functions runs with: a function whose {@code Role} is a template role gets that role's key (the first
 * key naming it), as Lambda gives a function its execution role's credentials.
 */
final class IamFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IamConfig config;
    private final JsonNode keys;
    private final TemplateRoles roles;

    private IamFile(IamConfig config, JsonNode keys, TemplateRoles roles) {
        this.config = config;
        this.keys = keys;
        this.roles = roles;
    }

    /** Reads the file; IllegalArgumentException names the file and the problem (never a secret key). */
    static IamFile read(Path file, TemplateRoles roles) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + FileErrors.reason(e));
        }
        try {
            IamConfig config = IamConfig.parse(text, role -> {
                if (roles == null) {
                    throw new IllegalArgumentException("templateRole " + role + " needs a template (--template)");
                }
                return roles.policies(role);
            });
            return new IamFile(config, JSON.readTree(text).path("keys"), roles);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON");
        }
    }

    IamConfig config() {
        return config;
    }

    /**
     * The env-vars overrides ({@code userFile}'s, if given) plus each function's role credentials as
     * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Passed through a file only {@link EnvVarsFile} reads: a
     * private temporary one, removed at once.
     */
    EnvVarsFile functionCredentials(SamTemplate template, Path userFile) {
        ObjectNode merged = JSON.createObjectNode();
        if (userFile != null) {
            EnvVarsFile.read(userFile); // its own checks and messages first
            try {
                merged = (ObjectNode) JSON.readTree(userFile.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + userFile + ": " + FileErrors.reason(e));
            }
        }
        for (FunctionDefinition f : template.functions().values()) {
            String role = roles == null ? null : roles.roleOf(f.logicalId()).orElse(null);
            for (JsonNode k : keys) {
                if (role != null && role.equals(k.path("templateRole").asText(null))) {
                    ObjectNode vars = merged.has(f.logicalId()) ? (ObjectNode) merged.get(f.logicalId())
                            : merged.putObject(f.logicalId());
                    vars.put("AWS_ACCESS_KEY_ID", k.get("accessKeyId").asText());
                    vars.put("AWS_SECRET_ACCESS_KEY", k.get("secretAccessKey").asText());
                    break;
                }
            }
        }
        try {
            Path dir = Files.createTempDirectory("rotation-local-iam",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("env.json");
            try {
                Files.write(file, JSON.writeValueAsBytes(merged));
                return EnvVarsFile.read(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pass the functions their credentials", e);
        }
    }
}
