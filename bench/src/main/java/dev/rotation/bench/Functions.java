package dev.rotation.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.rotation.testkit.EngineTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The single-user functions of template.yaml, one per engine module the test kit knows
 * ({@link EngineTarget}, registered by each engine's test jar), with their deployment jars extracted
 * as Lambda does.
 */
final class Functions {
    /**
     * @param name       the function's short name (mysql, postgres)
     * @param jar        the deployment jar
     * @param handler    the Handler string
     * @param taskRoot   the jar extracted, as Lambda extracts the package into /var/task
     * @param memoryMb   MemorySize from the template
     * @param environment the Globals variables of the template that the bench keeps
     * @param target      the engine module: its engine's description, its test database (null for the
     *                    bench's own training function)
     */
    record Function(String name, Path jar, String handler, Path taskRoot, int memoryMb, Map<String, String> environment,
            EngineTarget target) {
    }

    private Functions() {
    }

    static List<Function> load(Path repo, Path work) {
        Path template = repo.resolve("template.yaml");
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
        String javaToolOptions = find(text, "JAVA_TOOL_OPTIONS:\\s*(.+)", "");
        int memory = Integer.parseInt(find(text, "MemorySize:\\s*(\\d+)", "512"));
        Map<String, String> env = javaToolOptions.isBlank()
                ? Map.of("PASSWORD_LENGTH", "32", "ALLOW_PLAINTEXT_FALLBACK", "true", "LOG_LEVEL", "INFO",
                        "DB_CONNECT_TIMEOUT_SECONDS", "5", "DB_QUERY_TIMEOUT_SECONDS", "10")
                : Map.of("PASSWORD_LENGTH", "32", "ALLOW_PLAINTEXT_FALLBACK", "true", "LOG_LEVEL", "INFO",
                        "DB_CONNECT_TIMEOUT_SECONDS", "5", "DB_QUERY_TIMEOUT_SECONDS", "10",
                        "JAVA_TOOL_OPTIONS", javaToolOptions.strip());
        List<Function> functions = new ArrayList<>();
        for (EngineTarget target : ServiceLoader.load(EngineTarget.class)) {
            EngineTarget.DeploymentJar jar = target.deploymentJar();
            String handlerClass = jar.handlers().stream().filter(h -> !h.contains("Alternating")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(target + " names no single-user handler"));
            String codeUri = find(text, "CodeUri:\\s*(\\S+)\\s+Handler:\\s*" + Pattern.quote(handlerClass) + "\\s", null);
            if (codeUri == null) {
                throw new IllegalStateException("template.yaml has no function with Handler " + handlerClass);
            }
            functions.add(function(repo, work, target.engine().description().name(), codeUri,
                    handler(text, handlerClass), memory, env, target));
        }
        if (functions.isEmpty()) {
            throw new IllegalStateException("no engine module on the bench's class path (their test jars register "
                    + EngineTarget.class.getName() + ")");
        }
        functions.sort(java.util.Comparator.comparing(Function::name));
        return functions;
    }

    /** The template's Handler string for {@code handlerClass}, with its method if it names one. */
    private static String handler(String template, String handlerClass) {
        return find(template, "Handler:\\s*(" + Pattern.quote(handlerClass) + "(?:::\\w+)?)\\s", handlerClass);
    }

    /** The template's JAVA_TOOL_OPTIONS line, for the report. */
    static String javaToolOptions(Path repo) {
        try {
            return find(Files.readString(repo.resolve("template.yaml")), "JAVA_TOOL_OPTIONS:\\s*(.+)", "(none)").strip();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static String find(String text, String regex, String otherwise) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    private static Function function(Path repo, Path work, String name, String jarPath, String handler, int memory,
            Map<String, String> env, EngineTarget target) {
        Path jar = repo.resolve(jarPath);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -q -pl bench -am package -DskipTests");
        }
        Path root = work.resolve("task-" + name);
        extract(jar, root);
        return new Function(name, jar, handler, root, memory, env, target);
    }

    private static void extract(Path jar, Path root) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Files.createDirectories(root);
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalStateException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + jar, e);
        }
    }
}
