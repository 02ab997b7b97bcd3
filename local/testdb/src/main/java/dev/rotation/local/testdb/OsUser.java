package dev.rotation.local.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operating-system user a throwaway server runs as. Database servers refuse to run as root
 * (and should), so when this JVM is root the servers run as {@code nobody} through {@code setpriv},
 * which replaces itself with the server: the process we hold is the server's own.
 */
final class OsUser {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final OsUser CURRENT = detect();

    private final boolean switchUser;
    private final int uid;
    private final int gid;

    private OsUser(boolean switchUser, int uid, int gid) {
        this.switchUser = switchUser;
        this.uid = uid;
        this.gid = gid;
    }

    static OsUser forServers() {
        return CURRENT;
    }

    /** Whether servers run as another user than this JVM's. */
    boolean switchesUser() {
        return switchUser;
    }

    /** The command, prefixed so that it runs as the server user. */
    List<String> wrap(List<String> command) {
        if (!switchUser) {
            return command;
        }
        if (uid < 0) {
            throw new TestDatabaseUnavailableException("Running as root, throwaway database servers must run as an "
                    + "unprivileged user, but there is no 'nobody' user in /etc/passwd.");
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new TestDatabaseUnavailableException("Running as root, throwaway database servers must run as an "
                    + "unprivileged user, which needs " + SETPRIV + " (Debian package util-linux).");
        }
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code path} and everything below it belong to the server user. */
    void takeOwnership(Path path) {
        if (!switchUser) {
            return;
        }
        wrap(List.of()); // fails clearly if there is no user to hand the files to
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to uid " + uid, e);
        }
    }

    /** Throws unless the server user can reach {@code dir} through every parent directory. */
    void checkTraversable(Path dir) {
        if (!switchUser) {
            return;
        }
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new TestDatabaseUnavailableException("The unprivileged database user cannot enter " + p
                            + "; set TEST_DB_TMPDIR to a directory every user can traverse (e.g. /tmp).");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static OsUser detect() {
        if (currentUid() != 0) {
            return new OsUser(false, -1, -1);
        }
        // nobody's numeric ids from /etc/passwd: its primary group is "nogroup" on Debian, "nobody" elsewhere.
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":"))
                    .filter(f -> f.length > 3 && f[0].equals("nobody"))
                    .findFirst()
                    .map(f -> new OsUser(true, Integer.parseInt(f[2]), Integer.parseInt(f[3])))
                    .orElse(new OsUser(true, -1, -1)); // wrap() explains; a static initialiser must not throw
        } catch (IOException | RuntimeException e) {
            return new OsUser(true, -1, -1);
        }
    }

    /** This JVM's numeric user id (-1 if unknown). */
    static int currentUid() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:"))
                    .map(l -> Integer.parseInt(l.split("\\s+")[1]))
                    .findFirst()
                    .orElse(-1);
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }
}
