package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The deployment jar stays small: nothing the function never loads (bench/ measures what it does
 * load), and what SnapStart's priming needs is there. Each engine module runs it from a one-line
 * subclass with its jar, its size limit, its driver's unused packages and its priming classes.
 */
public abstract class DeploymentJarFootprintContract {
    /** Entry prefixes no function loads, whatever its engine. */
    private static final List<String> UNUSED_EVERYWHERE = List.of("software/amazon/awssdk/regions/servicemetadata/",
            "software/amazon/awssdk/eventstream/", "software/amazon/awssdk/http/apache/",
            "software/amazon/awssdk/http/nio/netty/", "io/netty/", "org/apache/http", "org/joda/",
            "com/fasterxml/jackson/databind/", "com/google/protobuf/");

    private final Path jar;
    private final long maxBytes;
    private final List<String> unusedPrefixes;
    private final List<String> primingClasses;

    /**
     * @param jar the shaded jar, relative to the module's directory
     * @param maxBytes the jar's size limit
     * @param engineUnusedPrefixes entry prefixes of the engine's driver that the function never loads
     * @param primingClasses binary names of the classes the engine's SnapStart priming loads
     */
    protected DeploymentJarFootprintContract(Path jar, long maxBytes, List<String> engineUnusedPrefixes,
            List<String> primingClasses) {
        this.jar = jar;
        this.maxBytes = maxBytes;
        this.unusedPrefixes = Stream.concat(UNUSED_EVERYWHERE.stream(), engineUnusedPrefixes.stream()).toList();
        this.primingClasses = List.copyOf(primingClasses);
    }

    private List<String> entries() throws IOException {
        assertThat(jar).as("built by the package phase").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_staysWithinItsSizeLimit() throws IOException {
        assertThat(Files.size(jar)).isLessThanOrEqualTo(maxBytes);
    }

    @Test
    void jar_leavesOutWhatTheFunctionNeverLoads() throws IOException {
        assertThat(entries()).noneMatch(name -> unusedPrefixes.stream().anyMatch(name::startsWith));
    }

    @Test
    void jar_holdsTheSnapStartHooksAndTheClassesThePrimingLoads() throws IOException {
        List<String> entries = entries();
        assertThat(entries).contains("org/crac/Core.class", "dev/rotation/shared/Priming.class");
        assertThat(primingClasses).allSatisfy(name -> assertThat(entries).contains(name.replace('.', '/') + ".class"));
    }
}
