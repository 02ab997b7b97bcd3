package dev.rotation.local.secretsmanager.bench;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's server in a JVM of its own, so its resident memory is the server's alone: starts a local
 * Secrets Manager on a free port (in memory, or with the data directory given as the argument), prints its
 * endpoint, and stops when its standard input closes.
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        LocalSecretsManager.Builder b = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO);
        if (args.length > 0) {
            b.dataDir(Path.of(args[0]));
        }
        try (LocalSecretsManager server = b.build().start()) {
            System.out.println(server.endpoint());
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the benchmark to close our input
            }
        }
    }
}
