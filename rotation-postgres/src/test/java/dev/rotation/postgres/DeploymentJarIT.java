package dev.rotation.postgres;

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

/** The shaded jar SAM deploys: self-contained, with this engine's JDBC driver and no other. */
class DeploymentJarIT {
    private static final Path JAR = Path.of("target", "rotation-postgres.jar");

    private static List<String> entries() throws IOException {
        assertThat(JAR).as("built by the package phase").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_holdsTheHandlerTheProtocolTheSdkAndPgjdbc() throws IOException {
        assertThat(entries()).contains(
                "dev/rotation/postgres/PostgresRotationHandler.class",
                "dev/rotation/postgres/PostgresEngine.class",
                "dev/rotation/shared/RotationHandler.class",
                "org/postgresql/Driver.class",
                "com/amazonaws/services/lambda/runtime/events/SecretsManagerRotationEvent.class",
                "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
    }

    @Test
    void jar_holdsNoOtherDriverAndNothingFromTheTests() throws IOException {
        assertThat(entries()).noneMatch(name -> name.startsWith("com/mysql/"))
                .noneMatch(name -> name.startsWith("org/mariadb/"))
                .noneMatch(name -> name.startsWith("com/google/protobuf/"))
                .noneMatch(name -> name.startsWith("dev/rotation/local/"))
                .noneMatch(name -> name.startsWith("org/testcontainers/"))
                .noneMatch(name -> name.startsWith("org/junit/"))
                .noneMatch(name -> name.startsWith("org/joda/"));
    }

    @Test
    void jar_registersOnlyPgjdbcAsJdbcDriver() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            ZipEntry services = jar.getEntry("META-INF/services/java.sql.Driver");
            assertThat(services).isNotNull();
            try (InputStream in = jar.getInputStream(services)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                        .containsExactly("org.postgresql.Driver");
            }
        }
    }

    @Test
    void handler_loadsFromTheJarAloneWithItsNoArgumentConstructor() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> handler = loader.loadClass("dev.rotation.postgres.PostgresRotationHandler");
            Object instance = handler.getConstructor().newInstance();
            assertThat(instance.getClass().getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                    .isInstance(instance)).isTrue();
        }
        assertThat(Files.size(JAR)).isLessThan(30L * 1024 * 1024);
    }
}
