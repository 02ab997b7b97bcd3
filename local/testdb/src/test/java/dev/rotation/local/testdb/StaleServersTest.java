package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleServersTest {
    @TempDir
    Path base;

    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    private Path dir(String name, String owner) throws IOException {
        Path dir = Files.createDirectory(base.resolve(StaleServers.PREFIX + name));
        if (owner != null) {
            Files.writeString(dir.resolve("owner"), owner);
        }
        return dir;
    }

    /** A stand-in server whose command line names {@code dir}, as a real server's data directory option does. */
    private Process serverIn(Path dir) throws IOException {
        return new ProcessBuilder("sh", "-c", "sleep 300; true", "--datadir=" + dir).start();
    }

    @Test
    void reap_whenTheOwningJvmIsGone_killsItsServerAndDeletesTheDirectory() throws Exception {
        Path stale = dir("stale", "2147483646 1");
        sleeper = serverIn(stale);
        StaleServers.recordServerPid(stale, sleeper.pid());

        StaleServers.reap(base);

        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stale).doesNotExist();
    }

    @Test
    void reap_neverKillsAProcessWhoseCommandLineDoesNotNameTheDirectory() throws Exception {
        Path stale = dir("stale", "2147483646 1");
        sleeper = new ProcessBuilder("sleep", "300").start();
        StaleServers.recordServerPid(stale, sleeper.pid());

        StaleServers.reap(base);

        assertThat(sleeper.isAlive()).isTrue();
        assertThat(stale).doesNotExist();
    }

    @Test
    void reap_keepsDirectoriesOfALiveJvm() throws Exception {
        Path mine = dir("mine", null);
        StaleServers.claim(mine);
        sleeper = serverIn(mine);
        StaleServers.recordServerPid(mine, sleeper.pid());

        StaleServers.reap(base);

        assertThat(mine).isDirectory();
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void reap_whenThePidWasReusedByAnotherProcess_treatsTheDirectoryAsStale() throws Exception {
        Path reused = dir("reused", ProcessHandle.current().pid() + " 1");

        StaleServers.reap(base);

        assertThat(reused).doesNotExist();
    }

    @Test
    void reap_leavesDirectoriesWithoutAnOwnerFileAlone() throws Exception {
        Path foreign = dir("foreign", null);

        StaleServers.reap(base);

        assertThat(foreign).isDirectory();
    }
}
