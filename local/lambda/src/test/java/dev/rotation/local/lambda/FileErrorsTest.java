package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons of real failures, worded as errno is. */
class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void reason_ofAMissingFile_isNoSuchFileOrDirectory() {
        IOException nio = catchThrowableOfType(IOException.class, () -> Files.readString(dir.resolve("missing")));
        IOException io = catchThrowableOfType(IOException.class,
                () -> new FileInputStream(dir.resolve("missing").toFile()).close());
        assertThat(FileErrors.reason(nio)).isEqualTo("No such file or directory");
        assertThat(FileErrors.reason(io)).isEqualTo("No such file or directory");
    }

    @Test
    void reason_ofReadingADirectory_isIsADirectory() {
        IOException e = catchThrowableOfType(IOException.class, () -> Files.readAllBytes(dir));
        assertThat(FileErrors.reason(e)).isEqualTo("Is a directory");
    }

    @Test
    void reason_ofAFileWhereADirectoryIsExpected_isNotADirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IOException e = catchThrowableOfType(IOException.class, () -> Files.createDirectories(file.resolve("sub")));
        assertThat(FileErrors.reason(e)).isIn("Not a directory", "File exists");
    }

    @Test
    void reason_ofABusyPort_isAddressAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IOException e = catchThrowableOfType(IOException.class,
                    () -> new ServerSocket(taken.getLocalPort(), 1, InetAddress.getLoopbackAddress()).close());
            assertThat(FileErrors.reason(e)).isEqualTo("Address already in use");
        }
    }

    @Test
    void reading_aMissingTemplateOrEnvVarsFile_saysWhichFileAndWhy() {
        Path missing = dir.resolve("missing.yaml");
        assertThat(catchThrowableOfType(TemplateException.class, () -> SamTemplate.read(missing, "us-east-1", Map.of())))
                .hasMessage("cannot read " + missing + ": No such file or directory");
        assertThat(catchThrowableOfType(TemplateException.class, () -> EnvVarsFile.read(dir.resolve("env.json"))))
                .hasMessage("cannot read env-vars file " + dir.resolve("env.json") + ": No such file or directory");
    }

    @Test
    void reading_aDirectoryAsTheTemplate_saysItIsADirectory() {
        assertThat(catchThrowableOfType(TemplateException.class, () -> SamTemplate.read(dir, "us-east-1", Map.of())))
                .hasMessage("cannot read " + dir + ": Is a directory");
    }

    @Test
    void reading_anEnvVarsFileThatIsNotJson_saysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("env.json"), "{not json");
        assertThat(catchThrowableOfType(TemplateException.class, () -> EnvVarsFile.read(file)))
                .hasMessageStartingWith("env-vars file " + file + " is not valid JSON: ");
    }
}
