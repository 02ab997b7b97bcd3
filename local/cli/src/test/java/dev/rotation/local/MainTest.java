package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's conventions, in process: help on every command, one-line usage errors with exit
 * status 2, and failures that name their cause the way the C library does, without a stack trace.
 */
class MainTest {
    private static final String EVENT = "../../events/mysql-createSecret.json";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"--help,''", "-h,''", "help,''", "serve --help,serve", "serve -h,serve", "invoke --help,invoke",
            "invoke -h,invoke", "demo --help,demo", "demo -h,demo", "help serve,serve", "help invoke,invoke",
            "help demo,demo", "preflight --help,preflight", "preflight -h,preflight", "help preflight,preflight",
            "audit --help,audit", "audit -h,audit", "help audit,audit"})
    void help_printsUsageToStdoutAndExitsZero(String args, String command) {
        Run r = run(args.split(" "));

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: java -jar rotation-local.jar " + (command.isEmpty() ? "" : command + " "))
                .contains("-h, --help");
    }

    @Test
    void help_ofEachCommand_listsItsOptions() {
        assertThat(run("serve", "--help").out()).contains("--host", "--port", "--data-dir", "--template",
                "--no-template", "--env-vars", "--idle-timeout", "--allow-remote", "--allowed-host");
        assertThat(run("invoke", "--help").out()).contains("FUNCTION", "-e, --event", "-n, --env-vars",
                "-t, --template", "--region");
        assertThat(run("demo", "--help").out()).contains("--template", "-v, --verbose");
        assertThat(run("invoke", "--help").out()).contains("--secret-id");
        assertThat(run("preflight", "--help").out()).contains("FUNCTION", "--secret-id", "-n, --env-vars",
                "-t, --template", "--region", "-v, --verbose");
        assertThat(run("--help").out()).contains("demo", "serve", "invoke", "preflight", "audit");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--colour blue", "serve --colour blue", "invoke F -e x --colour", "demo --colour",
            "serve --no-template -x", "preflight F --secret-id s --colour", "audit --colour",
            "invoke F --secret-id s --colour"})
    void unknownOption_isOneLineNamingItAndExitsTwo(String args) {
        Run r = run(args.split(" "));

        assertThat(r.exit()).isEqualTo(2);
        String option = args.contains("--colour") ? "--colour" : "-x";
        assertThat(r.errLines()).singleElement().asString().contains("unknown option " + option)
                .contains("--help");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "frobnicate", "invoke", "invoke F", "invoke F G -e x", "serve --port",
            "serve --port abc", "serve --port 70000", "serve --idle-timeout 0", "serve --allowed-host *.example",
            "serve --host 192.0.2.10", "preflight", "preflight F", "preflight F --secret-id", "invoke F -e x --secret-id y",
            "invoke MySqlRotationFunction --secret-id s --template ../../template.yaml"})
    void usageError_isOneLineAndExitsTwo(String args) {
        Run r = run(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isNotBlank().doesNotContain("Exception", "\tat ");
        assertThat(r.out()).doesNotContain("listening");
    }

    @Test
    void usageError_namesTheProblem() {
        assertThat(run().err()).contains("missing command");
        assertThat(run("frobnicate").err()).contains("unknown command frobnicate");
        assertThat(run("invoke").err()).startsWith("invoke: ").contains("FUNCTION");
        assertThat(run("invoke", "F").err()).startsWith("invoke: ").contains("-e EVENT.json", "--secret-id");
        assertThat(run("invoke", "F", "-e", "x", "--secret-id", "y").err()).contains("either");
        assertThat(run("preflight", "F").err()).startsWith("preflight: ").contains("--secret-id");
        assertThat(run("invoke", "MySqlRotationFunction", "--secret-id", "s", "--template", "../../template.yaml")
                .err()).contains("SECRETS_MANAGER_ENDPOINT", "serve");
        assertThat(run("invoke", "F", "G", "-e", "x").err()).contains("unexpected argument G");
        assertThat(run("serve", "--port", "abc").err()).startsWith("serve: ").contains("--port", "abc");
        assertThat(run("serve", "--port", "70000").err()).contains("70000");
        assertThat(run("serve", "--idle-timeout", "0").err()).contains("--idle-timeout", "positive");
    }

    @Test
    void serve_onABusyPort_saysAddressAlreadyInUseAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Run r = run("serve", "--no-template", "--port", Integer.toString(port));

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("serve: cannot listen on 127.0.0.1:" + port
                    + ": Address already in use");
            assertThat(r.out()).doesNotContain("listening");
        }
    }

    @Test
    void serve_withADataDirThatIsAFile_saysWhyAndExitsOne() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        Run r = run("serve", "--no-template", "--port", "0", "--data-dir", file.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("serve: cannot open the data directory " + file + ": ").doesNotContain("Exception");
    }

    @Test
    void missingFiles_areOneLineNamingTheFileAndNoSuchFileOrDirectory() {
        Path missing = dir.resolve("missing.json").toAbsolutePath();
        Path template = dir.resolve("missing.yaml").toAbsolutePath();
        List<Run> runs = List.of(
                run("invoke", "MySqlRotationFunction", "-e", missing.toString(), "--template", "../../template.yaml"),
                run("invoke", "MySqlRotationFunction", "-e", EVENT, "--template", template.toString()),
                run("invoke", "MySqlRotationFunction", "-e", EVENT, "--template", "../../template.yaml",
                        "--env-vars", missing.toString()),
                run("serve", "--template", template.toString()),
                run("serve", "--no-template", "--env-vars", missing.toString()),
                run("demo", "--template", template.toString()),
                run("preflight", "MySqlRotationFunction", "--secret-id", "s", "--template", template.toString()),
                run("preflight", "MySqlRotationFunction", "--secret-id", "s", "--template", "../../template.yaml",
                        "--env-vars", missing.toString()),
                run("invoke", "MySqlRotationFunction", "--secret-id", "s", "--template", "../../template.yaml",
                        "--env-vars", missing.toString()));
        for (Run r : runs) {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().contains("No such file or directory")
                    .containsAnyOf(missing.toString(), template.toString());
            assertThat(r.out()).isEmpty();
        }
        assertThat(runs.get(1).err()).contains("pass --template");
        assertThat(runs.get(5).err()).startsWith("demo: ").contains("pass --template");
    }

    @Test
    void invokeSecretId_withNoServerAtTheEndpoint_saysConnectionRefusedAndExitsOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path env = Files.writeString(dir.resolve("env.json"), "{\"MySqlRotationFunction\": {\"SECRETS_MANAGER_ENDPOINT\":"
                + " \"http://127.0.0.1:" + port + "\"}}");

        Run r = run("invoke", "MySqlRotationFunction", "--secret-id", "demo/mysql", "--template", "../../template.yaml",
                "--env-vars", env.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("invoke: cannot describe secret demo/mysql at")
                .contains("Connection refused", "is serve running?");
    }

    @Test
    void unreadableTemplate_saysWhyInOneLine() {
        Run r = run("serve", "--template", dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("serve: cannot read " + dir + ": Is a directory");
    }
}
