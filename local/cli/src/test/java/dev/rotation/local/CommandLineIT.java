package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar and ./demo as a user runs them: help exits 0, a usage error exits 2, neither hangs. */
class CommandLineIT {
    private static final Path JAR = Path.of("..", "target", "rotation-local.jar").toAbsolutePath().normalize();
    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> command) throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finishes", command).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    @Test
    void help_onEachCommand_exitsZero() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"serve", "--help"},
                new String[] {"invoke", "-h"}, new String[] {"demo", "--help"}, new String[] {"preflight", "--help"},
                new String[] {"preflight", "-h"}, new String[] {"audit", "--help"}, new String[] {"-h"})) {
            Result r = jar(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).startsWith("Usage: java -jar rotation-local.jar");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void demoScript_withHelp_printsTheDemoCommandsUsageAndExitsZero() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Result r = run(List.of(ROOT.resolve("demo").toString(), help));

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: java -jar rotation-local.jar demo").contains("--verbose");
        }
    }

    @Test
    void demoScript_withAnUnknownOption_saysSoInOneLineAndExitsTwo() throws Exception {
        Result r = run(List.of(ROOT.resolve("demo").toString(), "--colour"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).singleElement().asString().contains("unknown option --colour");
    }

    @Test
    void noCommand_isAOneLineUsageErrorWithExitTwo() throws Exception {
        Result r = jar();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).singleElement().asString().contains("missing command");
    }
}
