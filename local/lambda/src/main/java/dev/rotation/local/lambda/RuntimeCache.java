package dev.rotation.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The per-user folder that jars are unpacked into for the child JVMs: {@code $XDG_CACHE_HOME/rotation-local}
 * (when that variable holds an absolute path, as the XDG spec requires), else {@code ~/.cache/rotation-local}.
 * The child JVMs run the code in it, so it must be the user's alone: it is created with mode 700, and every
 * use checks that it is a directory (not a symbolic link) owned by this user and not writable by group or
 * others, and that every folder above it (as written and as resolved) belongs to this user or root and is
 * not writable by group or others unless sticky (as {@code /tmp} is). Otherwise the use fails with one line
 * naming the folder and the problem, and nothing is unpacked.
 *
 * <p>An entry is one archive (or part of one) unpacked, named after the archive and a hash of its path,
 * size and modification time, so a rebuilt jar gets a new entry. It is unpacked into a staging folder and
 * renamed into place, so JVMs starting at the same moment never see a half-written entry; the one that
 * loses the rename drops its copy. Beside it, {@code ENTRY.source} records the archive and its last use.
 * Pruning, once per JVM: an entry whose archive was deleted or rebuilt goes once unused for
 * {@link #PRUNE_AFTER} (not at once: a JVM started from it may still run), as do leftovers of an unpack
 * that crashed; entries of unchanged archives stay.
 */
final class RuntimeCache {
    static final Duration PRUNE_AFTER = Duration.ofDays(1);

    private static final String SOURCE = ".source";
    /** Temporary names start with a dot; entries start with their kind. */
    private static final String TEMPORARY = ".";
    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMBOLIC_LINK = 0120000;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path root;
    private final long uid;
    private final AtomicBoolean pruned = new AtomicBoolean();

    RuntimeCache(Path root, long uid) {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the runtime cache folder must be an absolute path, got " + root);
        }
        this.root = root.normalize();
        this.uid = uid;
    }

    /** The cache of the user this JVM runs as. */
    static RuntimeCache current() {
        return Current.CACHE;
    }

    private static final class Current {
        static final RuntimeCache CACHE = forUser(System.getenv(), System.getProperty("user.home"),
                new com.sun.security.auth.module.UnixSystem().getUid());
    }

    /** The cache for this environment, home folder and user id. */
    static RuntimeCache forUser(Map<String, String> env, String userHome, long uid) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return new RuntimeCache(base.resolve("rotation-local"), uid);
    }

    /** Where the folder is, without creating or checking it. */
    Path location() {
        return root;
    }

    /** The folder, created if missing, once it has been checked as described above. */
    Path root() {
        try {
            if (!Files.isDirectory(root.getParent())) {
                Files.createDirectories(root.getParent(), PRIVATE);
            }
            Files.createDirectory(root, PRIVATE);
        } catch (FileAlreadyExistsException e) {
            // There already (or another JVM was quicker); checked below.
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the runtime cache folder " + root + " (" + e + "); set "
                    + "XDG_CACHE_HOME to a folder of your own");
        }
        try {
            check();
        } catch (IOException e) {
            throw new IllegalStateException("cannot check the runtime cache folder " + root + " (" + e + ")");
        }
        return root;
    }

    private void check() throws IOException {
        Map<String, Object> a = Files.readAttributes(root, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int owner = (Integer) a.get("uid");
        if ((mode & TYPE) == SYMBOLIC_LINK) {
            throw unsafe(root, "is a symbolic link");
        }
        if ((mode & TYPE) != DIRECTORY) {
            throw unsafe(root, "is not a directory");
        }
        if (owner != uid) {
            throw unsafe(root, "belongs to uid " + owner + ", not to this user (uid " + uid + ")");
        }
        if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
            throw unsafe(root, "is writable by group or others (mode " + Integer.toOctalString(mode & 07777) + ")");
        }
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            checkAbove(p);
        }
        for (Path p = root.getParent().toRealPath(); p != null; p = p.getParent()) {
            checkAbove(p);
        }
    }

    /** A folder above the cache: whoever can rename things in it can swap the cache for their own. */
    private void checkAbove(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int owner = (Integer) a.get("uid");
        if ((mode & TYPE) == SYMBOLIC_LINK) {
            return; // what it points to is in the resolved chain
        }
        if (owner != uid && owner != 0) {
            throw unsafe(p, "belongs to uid " + owner + ", another user, who could replace the cache");
        }
        if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
            throw unsafe(p, "is writable by group or others and not sticky (mode "
                    + Integer.toOctalString(mode & 07777) + ")");
        }
    }

    private IllegalStateException unsafe(Path p, String problem) {
        return new IllegalStateException("the runtime cache folder " + root + " is not private: "
                + (p.equals(root) ? "it" : p) + " " + problem + "; fix that (chmod 700 on folders of your own) or set "
                + "XDG_CACHE_HOME to a private folder");
    }

    /**
     * {@code prefix} of {@code archive} (everything for "") unpacked into an entry of {@code kind}, once:
     * later calls for the same, unchanged archive return the same folder.
     */
    Path unpackOnce(Path archive, String kind, String prefix) {
        Path dir = root();
        if (pruned.compareAndSet(false, true)) {
            prune(Instant.now());
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(archive, BasicFileAttributes.class);
            String source = archive.toAbsolutePath().normalize() + "\n" + attributes.size() + "\n"
                    + attributes.lastModifiedTime().toMillis() + "\n";
            Path target = dir.resolve(kind + "-" + archive.getFileName() + "-" + key(source));
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Path staging = Files.createTempDirectory(dir, TEMPORARY + "staging-" + kind + "-");
                try {
                    unzip(archive, prefix, staging);
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    // Another JVM renamed its copy into place first.
                } catch (IOException e) {
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                } finally {
                    deleteTree(staging);
                }
            }
            markUsed(dir, target, source);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + ": " + e.getMessage(), e);
        }
    }

    private static String key(String source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the entry's archive, or refreshes the record's time: its last use. */
    private static void markUsed(Path dir, Path target, String source) throws IOException {
        Path marker = dir.resolve(target.getFileName() + SOURCE);
        if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
            return;
        }
        Path temporary = Files.createTempFile(dir, TEMPORARY + "source-", ".tmp");
        Files.writeString(temporary, source);
        Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes what is stale as of {@code now} (see the class comment). A failure only leaves files behind. */
    void prune(Instant now) {
        Instant cutoff = now.minus(PRUNE_AFTER);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.endsWith(SOURCE) && !name.startsWith(TEMPORARY)) {
                    Path entry = root.resolve(name.substring(0, name.length() - SOURCE.length()));
                    if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS) && modified(child).isBefore(cutoff)) {
                        Files.deleteIfExists(child);
                    }
                    continue;
                }
                Path marker = root.resolve(name + SOURCE);
                boolean marked = !name.startsWith(TEMPORARY) && Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS);
                Instant lastUse = marked ? modified(marker) : modified(child);
                if (!lastUse.isBefore(cutoff) || (marked && archiveUnchanged(marker))) {
                    continue;
                }
                deleteTree(child);
                if (marked) {
                    Files.deleteIfExists(marker);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Stale entries cost disk space only; the next JVM tries again.
        }
    }

    private static Instant modified(Path p) throws IOException {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (NoSuchFileException e) {
            return Instant.MAX; // removed meanwhile by another JVM: nothing to do
        }
    }

    private static boolean archiveUnchanged(Path marker) {
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            Path archive = Path.of(lines.get(0));
            BasicFileAttributes now = Files.readAttributes(archive, BasicFileAttributes.class);
            return now.size() == Long.parseLong(lines.get(1))
                    && now.lastModifiedTime().toMillis() == Long.parseLong(lines.get(2));
        } catch (IOException | RuntimeException e) {
            return false; // gone, unreadable or not ours: stale
        }
    }

    private static void unzip(Path archive, String prefix, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.getName().startsWith(prefix) || entry.getName().equals(prefix)) {
                    continue;
                }
                Path out = into.resolve(entry.getName().substring(prefix.length())).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("entry outside the archive's root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes a tree without following links; what another JVM deleted first is fine. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    @Override
    public String toString() {
        return "RuntimeCache[" + root + "]";
    }
}
