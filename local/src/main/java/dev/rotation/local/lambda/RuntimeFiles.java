package dev.rotation.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files a child JVM runs from, laid out as Lambda lays them out: the official Java runtime's jars
 * (Lambda's {@code /var/runtime/lib}), which this module carries under {@code lambda-runtime/} inside
 * its own jar, and the function's deployment jar unpacked into a task root (Lambda's {@code /var/task},
 * the runtime's working directory, from which its class loader reads the classes and {@code lib/*.jar}).
 * Both are unpacked once into a per-user cache directory keyed by the source file's size and date, so a
 * rebuilt jar is unpacked afresh and concurrent processes never see a half-written directory.
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
            target = unpackOnce(source, "runtime", RUNTIME_DIR);
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
        Path library = unpackOnce(client, "jni", "jni/").resolve("libaws-lambda-jni." + libc + "-" + arch + ".so");
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
        return unpackOnce(codeUri, "task", "");
    }

    private static Path ownLocation() {
        try {
            return Path.of(RuntimeFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path unpackOnce(Path archive, String kind, String prefix) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(archive, BasicFileAttributes.class);
            String key = HexFormat.of().toHexDigits(
                    (archive.toAbsolutePath().toString() + attributes.size() + attributes.lastModifiedTime()).hashCode());
            Path cache = Path.of(System.getProperty("java.io.tmpdir"),
                    "rotation-local-" + System.getProperty("user.name", "user"));
            Files.createDirectories(cache);
            Path target = cache.resolve(kind + "-" + archive.getFileName() + "-" + key);
            if (Files.isDirectory(target)) {
                return target;
            }
            Path staging = Files.createTempDirectory(cache, kind + "-staging-");
            unzip(archive, prefix, staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteTree(staging);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                deleteTree(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + ": " + e.getMessage(), e);
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

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
