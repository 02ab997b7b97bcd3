package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreWriteFailureTest {
    /** Keeps nothing, and fails writes while {@code failing} is set, like a full disk. */
    private static final class FlakyDisk implements SecretPersistence {
        boolean failing;

        @Override
        public List<Secret> loadAll() {
            return List.of();
        }

        @Override
        public void save(Secret secret) {
            if (failing) {
                throw ServiceException.internal("Writing the secret to the data directory failed: disk full");
            }
        }

        @Override
        public void delete(Secret secret) {
        }
    }

    private final FlakyDisk disk = new FlakyDisk();
    private final SecretStore store = new SecretStore(TestClock.at("2026-01-01T00:00:00Z"), "us-east-1",
            "123456789012", disk);

    @Test
    void failedWrite_rollsMemoryBackToTheLastCommittedState() {
        store.createSecret("a", null, null, null, SecretValue.ofString("committed"), null);
        disk.failing = true;

        assertThatThrownBy(() -> store.putSecretValue("a", null, SecretValue.ofString("lost"), null))
                .isInstanceOf(ServiceException.class)
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("InternalServiceError"));
        assertThatThrownBy(() -> store.createSecret("b", null, null, null, SecretValue.ofString("x"), null))
                .isInstanceOf(ServiceException.class);

        disk.failing = false;
        assertThat(store.getSecretValue("a", null, null).value().string()).isEqualTo("committed");
        assertThat(store.describe("a").versions).hasSize(1);
        assertThatThrownBy(() -> store.describe("b")).hasMessageContaining("can't find");
    }
}
