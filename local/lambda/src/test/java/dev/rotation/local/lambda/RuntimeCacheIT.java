package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a JVM started as the CLI is started unpacks a function's jar, given only its environment: the
 * user's cache folder, private, and refused when another user could change it.
 */
class RuntimeCacheIT {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one probe run. */
    private record Run(int exit, String out, String err) {
    }

    static Path jar(Path dir) throws IOException {
        return jar(dir, new byte[] {1, 2, 3});
    }

    /** {@code dir/function.jar} with a class file and {@code lib/dependency.jar} holding {@code dependency}. */
    static Path jar(Path dir, byte[] dependency) throws IOException {
        Path jar = dir.resolve("function.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("dev/example/Handler.class"));
            zip.write("not really a class".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("lib/dependency.jar"));
            zip.write(dependency);
        }
        return jar;
    }

    private Run probe(Map<String, String> env, Path jar) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", classPath, RuntimeFilesProbe.class.getName(),
                jar.toString());
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe finishes").isTrue();
        return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
    }

    @Test
    void taskRoot_isUnpackedUnderXdgCacheHomeInAPrivateFolder() throws Exception {
        Path xdg = dir.resolve("xdg");
        Run run = probe(Map.of("XDG_CACHE_HOME", xdg.toString()), jar(dir));
        assertThat(run.exit()).as(run.err()).isZero();
        Path cache = xdg.resolve("rotation-local");
        assertThat(run.out()).startsWith(cache + File.separator);
        assertThat(Path.of(run.out()).resolve("lib/dependency.jar")).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void taskRoot_inACacheFolderOthersCanWrite_isRefusedWithOneLine() throws Exception {
        Path xdg = Files.createDirectories(dir.resolve("shared"));
        Path cache = Files.createDirectory(xdg.resolve("rotation-local"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run run = probe(Map.of("XDG_CACHE_HOME", xdg.toString()), jar(dir));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(List.of(run.err().split("\n"))).singleElement().asString()
                .contains(cache.toString(), "writable by group or others");
        try (var entries = Files.list(cache)) {
            assertThat(entries).as("nothing unpacked into it").isEmpty();
        }
    }
}
