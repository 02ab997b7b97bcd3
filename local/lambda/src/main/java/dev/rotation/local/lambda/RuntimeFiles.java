package dev.rotation.local.lambda;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a child JVM runs from, laid out as Lambda lays them out: the official Java runtime's jars
 * (Lambda's {@code /var/runtime/lib}), which this module carries under {@code lambda-runtime/} inside
 * its own jar, and the function's deployment jar unpacked into a task root (Lambda's {@code /var/task},
 * the runtime's working directory, from which its class loader reads the classes and {@code lib/*.jar}).
 * Both are unpacked once into the user's private {@link RuntimeCache}, keyed by the source file's path, size and
 * date, so a rebuilt jar is unpacked afresh and concurrent processes never see a half-written directory.
 */
final class RuntimeFiles {
    private static final String RUNTIME_DIR = "lambda-runtime/";

    private RuntimeFiles() {
    }

    /** The runtime jars for the child's class path. */
    static List<Path> runtimeJars() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            // The client talks to the Runtime API through a JNI library it ships for Linux only.
            throw new IllegalStateException("the Lambda Java runtime interface client runs on Linux only (x86_64 or "
                    + "aarch64, glibc or musl), not on " + os + "; run this in a Linux VM, WSL 2 or a Linux CI runner");
        }
        Path source = ownLocation();
        Path target;
        if (Files.isDirectory(source)) {
            target = source.resolve(RUNTIME_DIR);
        } else {
            target = RuntimeCache.current().unpackOnce(source, "runtime", RUNTIME_DIR);
        }
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
                throw new IllegalStateException("the Lambda runtime interface client is missing from " + target
                        + "; rebuild with ./mvnw -B package -DskipTests");
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException("the Lambda runtime jars are missing (" + target + "); rebuild with "
                    + "./mvnw -B package -DskipTests", e);
        }
    }

    /**
     * The runtime client's JNI library for this machine, unpacked once into the cache. Without it the
     * client extracts its library at every start to the fixed path {@code /tmp/.libaws-lambda-jni.so},
     * so JVMs starting at the same moment (two functions of one {@code serve}; never in Lambda, where an
     * environment runs one) overwrite each other's copy and fail to load it.
     */
    static Path jniLibrary(List<Path> runtimeJars) {
        Path client = runtimeJars.stream()
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow(() -> new IllegalStateException("the Lambda runtime interface client is "
                        + "missing; rebuild with ./mvnw -B package -DskipTests"));
        String arch = System.getProperty("os.arch", "").contains("aarch64") ? "aarch_64" : "x86_64";
        String libc = isMusl() ? "linux_musl" : "linux";
        Path library = RuntimeCache.current().unpackOnce(client, "jni", "jni/")
                .resolve("libaws-lambda-jni." + libc + "-" + arch + ".so");
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("the Lambda runtime interface client has no JNI library for " + libc
                    + "-" + arch);
        }
        return library;
    }

    private static boolean isMusl() {
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            return lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The task root for a function's CodeUri: the directory itself, or the jar/zip unpacked. */
    static Path taskRoot(Path codeUri) {
        if (Files.isDirectory(codeUri)) {
            return codeUri;
        }
        if (!Files.isRegularFile(codeUri)) {
            throw new TemplateException("the function's code " + codeUri + " does not exist; build it with "
                    + "./mvnw -B package -DskipTests");
        }
        return RuntimeCache.current().unpackOnce(codeUri, "task", "");
    }

    private static Path ownLocation() {
        try {
            return Path.of(RuntimeFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
