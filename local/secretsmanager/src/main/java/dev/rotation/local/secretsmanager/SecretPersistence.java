package dev.rotation.local.secretsmanager;

import java.util.List;

/**
 * Where the store keeps committed secrets. Called with the secret's lock held, so writes of one secret
 * come in commit order; writes of different secrets may run at the same time.
 */
interface SecretPersistence extends AutoCloseable {
    List<Secret> loadAll();

    /** Durably writes the secret's whole state; returns only once it is on disk (or kept). */
    void save(Secret secret);

    /** Removes a purged secret. */
    void delete(Secret secret);

    @Override
    default void close() {
    }

    /** The default: nothing outlives the process. */
    SecretPersistence IN_MEMORY = new SecretPersistence() {
        @Override
        public List<Secret> loadAll() {
            return List.of();
        }

        @Override
        public void save(Secret secret) {
        }

        @Override
        public void delete(Secret secret) {
        }
    };
}
