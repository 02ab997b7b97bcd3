package dev.rotation.testkit.compat;

import dev.rotation.local.testdb.ServerVersion;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One server per version of the compatibility matrix for the whole test JVM, every one offering TLS with
 * the JVM's one certificate for 127.0.0.1 (plaintext is still accepted; each secret chooses), so that the
 * single-user, alternating-users, TLS and fault tests of a version share its server. Servers start two at a
 * time in the background once {@link #startAll} names them; they stop when the JVM exits.
 */
public final class MatrixServers {
    private static final ExecutorService STARTER = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "matrix-server-start");
        t.setDaemon(true);
        return t;
    });
    private static final Map<ServerVersion, CompletableFuture<TestDatabase>> SERVERS = new ConcurrentHashMap<>();
    private static TlsMaterial tls;

    private MatrixServers() {
    }

    /** The certificate authority and server certificate (for 127.0.0.1) every matrix server uses. */
    public static synchronized TlsMaterial tls() {
        if (tls == null) {
            tls = TlsMaterial.generate("127.0.0.1");
        }
        return tls;
    }

    /** Starts the servers of {@code versions} in the background (two at a time), unless started already. */
    public static void startAll(List<ServerVersion> versions) {
        TlsMaterial material = tls();
        for (ServerVersion v : versions) {
            SERVERS.computeIfAbsent(v, k -> CompletableFuture.supplyAsync(() -> TestDatabases.start(k, material),
                    STARTER));
        }
    }

    /** The JVM's server of {@code version}, waiting for its start; a failed start is rethrown to every caller. */
    public static TestDatabase server(ServerVersion version) {
        startAll(List.of(version));
        TestDatabase db;
        try {
            db = SERVERS.get(version).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        try {
            db.admin().close();
        } catch (RuntimeException | java.sql.SQLException e) {
            throw new IllegalStateException("the " + version + " server of this JVM no longer answers: " + db.describe()
                    + "; the end of its log:\n" + logTail(db), e);
        }
        return db;
    }

    private static String logTail(TestDatabase db) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(db.serverLog().orElseThrow());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }
}
