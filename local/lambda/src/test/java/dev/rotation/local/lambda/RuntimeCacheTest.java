package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeCacheTest {
    private static final long UID = new UnixSystem().getUid();

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void chmod(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static void age(Path p, Duration by) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(by)));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void forUser_usesAbsoluteXdgCacheHome_elseTheHomeFoldersCache() {
        assertThat(RuntimeCache.forUser(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u", 1).location())
                .isEqualTo(Path.of("/x/cache/rotation-local"));
        assertThat(RuntimeCache.forUser(Map.of("XDG_CACHE_HOME", "relative"), "/home/u", 1).location())
                .isEqualTo(Path.of("/home/u/.cache/rotation-local"));
        assertThat(RuntimeCache.forUser(Map.of(), "/home/u", 1).location())
                .isEqualTo(Path.of("/home/u/.cache/rotation-local"));
    }

    @Test
    void root_whenMissing_isCreatedWith700LikeTheFoldersAboveItThatItCreates() throws Exception {
        Path root = dir.resolve("home/.cache/rotation-local");
        assertThat(new RuntimeCache(root, UID).root()).isEqualTo(root);
        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(root.getParent())).isEqualTo("rwx------");
    }

    @Test
    void root_whenWritableByGroupOrOthers_isRefusedWithOneLine() throws Exception {
        Path root = Files.createDirectory(dir.resolve("rotation-local"));
        for (String mode : List.of("rwxrwx---", "rwx---rwx", "rwx-w----")) {
            chmod(root, mode);
            assertThatThrownBy(() -> new RuntimeCache(root, UID).root())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(root.toString())
                    .hasMessageContaining("writable by group or others")
                    .hasMessageContaining("XDG_CACHE_HOME")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void root_ownedByAnotherUser_isRefused() throws Exception {
        Path root = Files.createDirectory(dir.resolve("rotation-local"));
        chmod(root, "rwx------");
        assertThatThrownBy(() -> new RuntimeCache(root, UID + 1).root())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to uid " + UID + ", not to this user (uid " + (UID + 1) + ")");
    }

    @Test
    void root_whenASymbolicLink_isRefusedEvenToAPrivateFolder() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        chmod(elsewhere, "rwx------");
        Path root = Files.createSymbolicLink(dir.resolve("rotation-local"), elsewhere);
        assertThatThrownBy(() -> new RuntimeCache(root, UID).root())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void root_underAFolderOthersCanWrite_isRefusedUnlessThatFolderIsSticky() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        chmod(shared, "rwxrwxrwx");
        Path root = shared.resolve("rotation-local");
        assertThatThrownBy(() -> new RuntimeCache(root, UID).root())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(shared + " is writable by group or others and not sticky (mode 777)");
        Files.setAttribute(shared, "unix:mode", 01777); // as /tmp: others cannot rename what is ours
        assertThat(new RuntimeCache(root, UID).root()).isEqualTo(root);
    }

    @Test
    void root_underAFolderOfAnotherUser_isRefused() throws Exception {
        Assumptions.assumeTrue(UID == 0, "only root can give a folder to another user");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertThatThrownBy(() -> new RuntimeCache(theirs.resolve("rotation-local"), UID).root())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(theirs + " belongs to uid 65534, another user");
    }

    @Test
    void unpackOnce_reusesTheEntryUntilTheArchiveChanges() throws Exception {
        RuntimeCache cache = new RuntimeCache(dir.resolve("cache/rotation-local"), UID);
        Path jar = RuntimeCacheIT.jar(dir);
        Path first = cache.unpackOnce(jar, "task", "");
        assertThat(first.resolve("lib/dependency.jar")).hasBinaryContent(new byte[] {1, 2, 3});
        Files.writeString(first.resolve("marker"), "same entry");
        assertThat(cache.unpackOnce(jar, "task", "")).isEqualTo(first);
        assertThat(first.resolve("marker")).exists();

        assertThat(RuntimeCacheIT.jar(dir, new byte[] {4, 5, 6, 7})).as("rebuilt in place").isEqualTo(jar);
        Path second = cache.unpackOnce(jar, "task", "");
        assertThat(second).isNotEqualTo(first);
        assertThat(second.resolve("lib/dependency.jar")).hasBinaryContent(new byte[] {4, 5, 6, 7});
        assertThat(first).as("kept: a JVM started from it may still run").exists();
    }

    @Test
    void unpackOnce_fromManyThreadsAtOnce_givesEveryoneTheSameCompleteEntry() throws Exception {
        RuntimeCache cache = new RuntimeCache(dir.resolve("rotation-local"), UID);
        Path jar = RuntimeCacheIT.jar(dir);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return cache.unpackOnce(jar, "task", "");
                }));
            }
            go.countDown();
            Path entry = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<Path> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(entry);
            }
            assertThat(entry.resolve("lib/dependency.jar")).hasBinaryContent(new byte[] {1, 2, 3});
            assertThat(names(cache.location())).as("no staging folder left")
                    .containsExactly(entry.getFileName().toString(), entry.getFileName() + ".source");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void prune_removesEntriesOfDeletedOrRebuiltArchivesUnusedForADay_andNothingElse() throws Exception {
        RuntimeCache cache = new RuntimeCache(dir.resolve("rotation-local"), UID);
        Path root = cache.root();
        Path deleted = RuntimeCacheIT.jar(Files.createDirectory(dir.resolve("deleted")));
        Path rebuilt = RuntimeCacheIT.jar(Files.createDirectory(dir.resolve("rebuilt")));
        Path unchanged = RuntimeCacheIT.jar(Files.createDirectory(dir.resolve("unchanged")));
        Path deletedRecently = RuntimeCacheIT.jar(Files.createDirectory(dir.resolve("deleted-recently")));
        Path deletedEntry = cache.unpackOnce(deleted, "task", "");
        Path rebuiltEntry = cache.unpackOnce(rebuilt, "task", "");
        Path unchangedEntry = cache.unpackOnce(unchanged, "task", "");
        Path recentEntry = cache.unpackOnce(deletedRecently, "task", "");
        Files.delete(deleted);
        Files.delete(deletedRecently);
        Files.writeString(rebuilt, "rebuilt");
        for (Path entry : List.of(deletedEntry, rebuiltEntry, unchangedEntry)) {
            age(root.resolve(entry.getFileName() + ".source"), Duration.ofDays(2));
        }
        Path oldStaging = Files.createDirectories(root.resolve(".staging-task-1/lib"));
        age(oldStaging.getParent(), Duration.ofDays(2));
        Path freshStaging = Files.createDirectory(root.resolve(".staging-task-2"));

        cache.prune(Instant.now());

        assertThat(names(root)).containsExactlyInAnyOrder(
                unchangedEntry.getFileName().toString(), unchangedEntry.getFileName() + ".source",
                recentEntry.getFileName().toString(), recentEntry.getFileName() + ".source",
                freshStaging.getFileName().toString());
    }
}
