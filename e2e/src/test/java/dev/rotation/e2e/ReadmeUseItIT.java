package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Use it" section, run as a reader pastes it: every {@code ```sh} block of the section, in
 * order, in one bash from the project root, against a throwaway MariaDB user (the blocks read
 * {@code DB_HOST}, {@code DB_PORT}, {@code DB_USER} and {@code DB_PASSWORD}). A block that needs an AWS
 * account is preceded by the line {@code <!-- readme-test: needs-aws -->}; it is skipped, and the test
 * says which. The README cannot drift from the commands that work.
 */
class ReadmeUseItIT {
    static final String NEEDS_AWS = "<!-- readme-test: needs-aws -->";

    @TempDir
    Path home;

    /** A {@code ```sh} block of the section, and whether its marker says it needs AWS. */
    record Block(String text, boolean needsAws) {
    }

    /** The sh blocks between {@code ## Use it} and the next {@code ## } heading. */
    static List<Block> useItBlocks(String readme) {
        int start = readme.indexOf("\n## Use it\n");
        assertThat(start).as("README has a '## Use it' section").isGreaterThanOrEqualTo(0);
        int end = readme.indexOf("\n## ", start + 1);
        List<String> lines = readme.substring(start, end < 0 ? readme.length() : end).lines().toList();
        List<Block> blocks = new ArrayList<>();
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("```sh")) {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).equals("```")) {
                    text.append(lines.get(j)).append('\n');
                    j++;
                }
                blocks.add(new Block(text.toString(), previous.strip().equals(NEEDS_AWS)));
                i = j;
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return blocks;
    }

    @Test
    void useItBlocks_runInOrder_andRotateTheUsersPassword() throws Exception {
        Processes.requireJars();
        requireFreePort(4566);
        List<Block> blocks = useItBlocks(Files.readString(Processes.ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        List<Block> local = blocks.stream().filter(b -> !b.needsAws()).toList();
        List<Block> skipped = blocks.stream().filter(Block::needsAws).toList();
        for (Block block : skipped) {
            System.out.println("ReadmeUseItIT: skipped (marked needs-aws): " + block.text().lines().findFirst()
                    .orElse(""));
            assertThat(block.text()).as("a block marked needs-aws does not use the local server")
                    .doesNotContain("127.0.0.1:4566");
        }
        assertThat(local).as("local blocks of 'Use it'").hasSizeGreaterThanOrEqualTo(4);

        TestDatabase db = TestDatabases.mysql();
        String database = db.createDatabase("readme");
        String user = "readme_" + UUID.randomUUID().toString().substring(0, 8);
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        db.createAppUser(database, user, password);

        StringBuilder script = new StringBuilder("set -eu\n")
                // Whatever happens, nothing this script started outlives it.
                .append("trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
        local.forEach(block -> script.append(block.text()).append('\n'));
        Path file = home.resolve("use-it.sh");
        Files.writeString(file, script);

        String path = Path.of(Processes.java()).getParent() + ":" + System.getenv().getOrDefault("PATH",
                "/usr/bin:/bin");
        Processes.Result result = Processes.run(List.of("/bin/bash", file.toString()), Processes.ROOT, Map.of(
                "DB_HOST", db.host(), "DB_PORT", String.valueOf(db.port()), "DB_USER", user, "DB_PASSWORD", password,
                "PATH", path,
                "HOME", home.toString(),
                "AWS_PAGER", "",
                "AWS_CONFIG_FILE", home.resolve("aws-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString(),
                "AWS_EC2_METADATA_DISABLED", "true"), 600);

        String output = result.out() + result.err();
        assertThat(result.exit()).as("the blocks, run in order:\n%s\noutput:\n%s", script, output).isZero();
        // serve rotated once (labels), invoke once more, and preflight found nothing wrong.
        assertThat(result.out()).contains("AWSPREVIOUS").contains("AWSCURRENT");
        assertThat(result.err()).contains("Rotated arn:aws:secretsmanager:");
        assertThat(result.out()).contains("checks passed: a rotation should work from here");
        assertThat(db.canLogin(database, user, password)).as("the original password after two rotations").isFalse();
        assertThat(output).as("no password in what the blocks print").doesNotContain(password);
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            fail("port " + port + " on 127.0.0.1 is in use, and README's blocks serve on it: stop what listens there");
        }
    }
}
