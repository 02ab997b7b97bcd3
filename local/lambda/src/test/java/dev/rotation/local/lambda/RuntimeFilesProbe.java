package dev.rotation.local.lambda;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link RuntimeCacheIT}, with the environment under test: unpacks the jar named by
 * its argument as a function's task root and prints where it went; an error goes to stderr, exit 1.
 */
public final class RuntimeFilesProbe {
    private RuntimeFilesProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(RuntimeFiles.taskRoot(Path.of(args[0])));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
