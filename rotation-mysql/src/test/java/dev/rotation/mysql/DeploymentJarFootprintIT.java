package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The deployment jar stays small: nothing the function never loads (bench/ measures what it does load). */
class DeploymentJarFootprintIT {
    private static final Path JAR = Path.of("target", "rotation-mysql.jar");

    private static List<String> entries() throws IOException {
        assertThat(JAR).as("built by the package phase").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_isAtMost7Megabytes() throws IOException {
        assertThat(Files.size(JAR)).isLessThanOrEqualTo(7 * 1_000_000L);
    }

    @Test
    void jar_leavesOutWhatTheFunctionNeverLoads() throws IOException {
        List<String> unused = List.of("com/mysql/cj/x/", "com/mysql/cj/xdevapi/", "com/mysql/cj/protocol/x/", "software/amazon/awssdk/regions/servicemetadata/",
                "software/amazon/awssdk/eventstream/",
                "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/nio/netty/", "io/netty/",
                "org/apache/http", "org/joda/", "com/fasterxml/jackson/databind/", "com/google/protobuf/");
        assertThat(entries()).noneMatch(name -> unused.stream().anyMatch(name::startsWith));
    }

    @Test
    void jar_holdsTheSnapStartHooksAndTheClassesThePrimingLoads() throws IOException {
        List<String> entries = entries();
        assertThat(entries).contains("org/crac/Core.class", "dev/rotation/shared/SnapStartPriming.class");
        assertThat(MySqlPriming.LOGIN_CLASSES).allSatisfy(name -> assertThat(entries)
                .contains(name.replace('.', '/') + ".class"));
    }
}
