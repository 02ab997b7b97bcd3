package dev.rotation.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The JDKs of this machine: the bench's own, and one of the container image's major version. */
final class Jdks {
    /** The Lambda base image's JDK: public.ecr.aws/lambda/java:25. */
    static final int IMAGE_FEATURE = 25;

    private Jdks() {
    }

    /** A java of JDK 25 or later: {@code --java25 PATH}, this JVM, or the first under /usr/lib/jvm. */
    static Optional<Path> java25(String given) {
        if (given != null) {
            return Optional.of(Path.of(given));
        }
        if (Runtime.version().feature() >= IMAGE_FEATURE) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> feature(home) >= IMAGE_FEATURE).sorted().map(home -> home.resolve("bin/java"))
                    .filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The major version in a JDK's release file; -1 if unknown. */
    static int feature(Path home) {
        return version(home).map(v -> {
            try {
                return Integer.parseInt(v.split("[.+-]")[0]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(-1);
    }

    /** The JAVA_VERSION of a JDK's release file. */
    static Optional<String> version(Path home) {
        try (Stream<String> lines = Files.lines(home.resolve("release"))) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION=")).findFirst()
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
