package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar SAM deploys, held to the same rules for every engine: self-contained, with its
 * engine's JDBC driver and no other, nothing from the tooling or the tests, nothing the function never
 * loads (bench/ measures what it does load), what SnapStart's priming needs, and within its size.
 */
public class DeploymentJarIT {
    /** Entry prefixes no function loads, whatever its engine. */
    private static final List<String> UNUSED_EVERYWHERE = List.of("software/amazon/awssdk/regions/servicemetadata/",
            "software/amazon/awssdk/eventstream/", "software/amazon/awssdk/http/apache/",
            "software/amazon/awssdk/http/nio/netty/", "io/netty/", "org/apache/http", "org/joda/",
            "com/fasterxml/jackson/databind/", "com/google/protobuf/");
    /** The tooling and the tests: none of it belongs in a function. */
    private static final List<String> TOOLING = List.of("dev/rotation/local/", "dev/rotation/testkit/", "picocli/",
            "org/bouncycastle/", "org/quartz/", "org/testcontainers/", "org/junit/", "org/assertj/", "org/mariadb/",
            "org/yaml/snakeyaml/");

    private final EngineTarget target = EngineTargets.current();
    private final EngineTarget.DeploymentJar jar = target.deploymentJar();

    private static String entry(String className) {
        return className.replace('.', '/') + ".class";
    }

    private List<String> entries() throws IOException {
        assertThat(jar.path()).as("built by the package phase").isRegularFile();
        try (JarFile file = new JarFile(jar.path().toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_holdsTheHandlersTheEngineTheProtocolTheSdkAndTheDriver() throws IOException {
        assertThat(entries()).contains(entry(target.engine().getClass().getName()),
                "dev/rotation/shared/RotationHandler.class", "dev/rotation/secret/DatabaseSecret.class",
                entry(jar.driverClass()),
                "com/amazonaws/services/lambda/runtime/events/SecretsManagerRotationEvent.class",
                "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class")
                .containsAll(jar.handlers().stream().map(DeploymentJarIT::entry).toList());
    }

    @Test
    void jar_holdsNoOtherDriverAndNothingFromTheToolingOrTheTests() throws IOException {
        List<String> entries = entries();
        for (String prefix : Stream.concat(jar.foreignPackages().stream(), TOOLING.stream()).toList()) {
            assertThat(entries).as("entries under %s", prefix).noneMatch(name -> name.startsWith(prefix));
        }
    }

    @Test
    void jar_registersOnlyItsDriverAsJdbcDriver() throws IOException {
        try (JarFile file = new JarFile(jar.path().toFile())) {
            ZipEntry services = file.getEntry("META-INF/services/java.sql.Driver");
            assertThat(services).isNotNull();
            try (InputStream in = file.getInputStream(services)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                        .containsExactly(jar.driverClass());
            }
        }
    }

    @Test
    void handlers_loadFromTheJarAloneWithTheirNoArgumentConstructors() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.path().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String handlerClass : jar.handlers()) {
                Class<?> handler = loader.loadClass(handlerClass);
                Object instance = handler.getConstructor().newInstance();
                assertThat(instance.getClass().getClassLoader()).isSameAs(loader);
                assertThat(loader.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                        .isInstance(instance)).isTrue();
            }
        }
    }

    @Test
    void jar_staysWithinItsSizeLimit() throws IOException {
        assertThat(Files.size(jar.path())).isLessThanOrEqualTo(jar.maxBytes());
    }

    @Test
    void jar_leavesOutWhatTheFunctionNeverLoads() throws IOException {
        List<String> unused = Stream.concat(UNUSED_EVERYWHERE.stream(), jar.unusedPrefixes().stream()).toList();
        assertThat(entries()).noneMatch(name -> unused.stream().anyMatch(name::startsWith));
    }

    @Test
    void jar_holdsTheSnapStartHooksAndTheClassesThePrimingLoads() throws IOException {
        List<String> entries = entries();
        assertThat(entries).contains("org/crac/Core.class", "dev/rotation/shared/Priming.class");
        assertThat(target.engine().description().loginClasses())
                .allSatisfy(name -> assertThat(entries).contains(entry(name)));
    }
}
