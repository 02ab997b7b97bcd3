package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    private static final String T1 = "00000000-0000-0000-0000-000000000001";
    private static final String T2 = "00000000-0000-0000-0000-000000000002";
    private static final String PLAINTEXT = "correct-horse-battery-staple";

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-01-10T08:00:00Z");

    private SecretStore open() {
        return new SecretStore(clock, "us-east-1", "123456789012", FileStore.open(dir));
    }

    private static byte[] concatAllFiles(Path root) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.write(Files.readAllBytes(f));
            }
        }
        return all.toByteArray();
    }

    @Test
    void reopen_restoresVersionsLabelsTagsAndRotationConfig() {
        SecretStore first = open();
        first.createSecret("app/db", T1, "desc", "alias/mine", SecretValue.ofString("{\"password\":\"" + PLAINTEXT + "\"}"),
                Map.of("team", "db"));
        first.putSecretValue("app/db", T2, SecretValue.ofBinary(new byte[] {1, 2, 3}), List.of("blue"));
        first.startRotation("app/db", null, "arn:aws:lambda:us-east-1:123456789012:function:f", null, true);

        SecretStore second = open();

        Secret s = second.describe("app/db");
        assertThat(s.description).isEqualTo("desc");
        assertThat(s.kmsKeyId).isEqualTo("alias/mine");
        assertThat(s.tags).containsEntry("team", "db");
        assertThat(second.getSecretValue("app/db", T1, null).value().string()).contains(PLAINTEXT);
        assertThat(second.getSecretValue("app/db", T2, null).value().binary()).containsExactly(1, 2, 3);
        assertThat(s.versions.get(T1).labels).containsExactly("AWSCURRENT");
        assertThat(s.versions.get(T2).labels).containsExactly("blue");
        assertThat(s.rotationEnabled).isTrue();
        assertThat(s.lastOutcome.status()).as("a rotation cut off by a restart is reported failed")
                .isEqualTo(RotationOutcome.FAILED);
    }

    @Test
    void files_neverContainThePlaintextAndKeyIsOwnerOnly() throws IOException {
        SecretStore store = open();
        store.createSecret("a", T1, null, null, SecretValue.ofString(PLAINTEXT), null);
        store.putSecretValue("a", T2, SecretValue.ofString(PLAINTEXT + "-2"), null);

        String everything = new String(concatAllFiles(dir), StandardCharsets.ISO_8859_1);
        assertThat(everything).doesNotContain(PLAINTEXT).doesNotContain("battery");
        assertThat(Files.getPosixFilePermissions(dir.resolve("master.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.size(dir.resolve("master.key"))).isEqualTo(32);
        try (Stream<Path> files = Files.list(dir.resolve("secrets"))) {
            for (Path f : files.toList()) {
                assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void tornWrite_leftoverTemporaryFileIsIgnoredAndCommittedVersionSurvives() throws IOException {
        SecretStore store = open();
        store.createSecret("a", T1, null, null, SecretValue.ofString("committed"), null);
        Path secrets = dir.resolve("secrets");
        Path committed;
        try (Stream<Path> files = Files.list(secrets)) {
            committed = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String id = committed.getFileName().toString().replace(".json", "");
        Path torn = secrets.resolve(id + "-123.tmp");
        byte[] whole = Files.readAllBytes(committed);
        Files.write(torn, java.util.Arrays.copyOf(whole, whole.length / 2));

        SecretStore reopened = open();

        assertThat(reopened.getSecretValue("a", null, null).value().string()).isEqualTo("committed");
        assertThat(torn).doesNotExist();
    }

    @Test
    void alteredCiphertext_failsLoudlyWithDecryptionFailure() throws IOException {
        open().createSecret("a", T1, null, null, SecretValue.ofString(PLAINTEXT), null);
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("secrets"))) {
            file = files.findFirst().orElseThrow();
        }
        String json = Files.readString(file);
        int at = json.indexOf("\"Sealed\":\"") + 12;
        char flipped = json.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(file, json.substring(0, at) + flipped + json.substring(at + 1));

        assertThatThrownBy(this::open)
                .isInstanceOf(ServiceException.class)
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("DecryptionFailure"))
                .hasMessageNotContaining(PLAINTEXT);
    }

    @Test
    void purgedSecret_fileIsRemoved() throws IOException {
        SecretStore store = open();
        store.createSecret("a", T1, null, null, SecretValue.ofString("x"), null);
        store.deleteSecret("a", null, true);
        try (Stream<Path> files = Files.list(dir.resolve("secrets"))) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(open().listSecrets(null, true, null, null, null, null).secrets()).isEmpty();
    }
}
