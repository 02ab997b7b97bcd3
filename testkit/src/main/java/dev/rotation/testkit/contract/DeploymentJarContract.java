package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar SAM deploys: self-contained, with its engine's JDBC driver and no other. Each engine
 * module runs it from a one-line subclass naming its jar, handler, engine and driver, so both jars are
 * held to the same rules.
 */
public abstract class DeploymentJarContract {
    private final Path jar;
    private final String handlerClass;
    private final String engineClass;
    private final String driverClass;
    private final List<String> foreignDriverPackages;

    /**
     * @param jar the shaded jar, relative to the module's directory
     * @param handlerClass the Lambda handler's binary name
     * @param engineClass the engine's binary name
     * @param driverClass the one JDBC driver the jar holds and registers
     * @param foreignDriverPackages entry prefixes of other engines' drivers, e.g. {@code "org/postgresql/"}, that
     *     must not be there
     */
    protected DeploymentJarContract(Path jar, String handlerClass, String engineClass, String driverClass,
            String... foreignDriverPackages) {
        this.jar = jar;
        this.handlerClass = handlerClass;
        this.engineClass = engineClass;
        this.driverClass = driverClass;
        this.foreignDriverPackages = List.of(foreignDriverPackages);
    }

    private static String entry(String className) {
        return className.replace('.', '/') + ".class";
    }

    private List<String> entries() throws IOException {
        assertThat(jar).as("built by the package phase").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_holdsTheHandlerTheProtocolTheSdkAndTheDriver() throws IOException {
        assertThat(entries()).contains(
                entry(handlerClass),
                entry(engineClass),
                "dev/rotation/shared/RotationHandler.class",
                entry(driverClass),
                "com/amazonaws/services/lambda/runtime/events/SecretsManagerRotationEvent.class",
                "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
    }

    @Test
    void jar_holdsNoOtherDriverAndNothingFromTheTests() throws IOException {
        List<String> entries = entries();
        for (String foreign : foreignDriverPackages) {
            assertThat(entries).noneMatch(name -> name.startsWith(foreign));
        }
        assertThat(entries).noneMatch(name -> name.startsWith("org/mariadb/"))
                .noneMatch(name -> name.startsWith("com/google/protobuf/"))
                .noneMatch(name -> name.startsWith("dev/rotation/local/"))
                .noneMatch(name -> name.startsWith("org/testcontainers/"))
                .noneMatch(name -> name.startsWith("org/junit/"))
                .noneMatch(name -> name.startsWith("org/joda/"));
    }

    @Test
    void jar_registersOnlyItsDriverAsJdbcDriver() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry services = file.getEntry("META-INF/services/java.sql.Driver");
            assertThat(services).isNotNull();
            try (InputStream in = file.getInputStream(services)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                        .containsExactly(driverClass);
            }
        }
    }

    @Test
    void handler_loadsFromTheJarAloneWithItsNoArgumentConstructor() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> handler = loader.loadClass(handlerClass);
            Object instance = handler.getConstructor().newInstance();
            assertThat(instance.getClass().getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                    .isInstance(instance)).isTrue();
        }
        assertThat(Files.size(jar)).isLessThan(30L * 1024 * 1024);
    }
}
