package dev.rotation.client;

import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The local Secrets Manager over HTTP, without rotation, and a real SDK client for it. */
final class LocalSecrets implements AutoCloseable {
    final LocalSecretsManager server;
    final SecretsManagerClient client;

    LocalSecrets() {
        server = LocalSecretsManager.builder().port(0).schedulerInterval(java.time.Duration.ZERO).build().start();
        client = RotationWorld.client(server.endpoint());
    }

    /** A new secret; returns its name. */
    String create(String json) {
        String name = "app/" + RotationWorld.unique("db");
        client.createSecret(r -> r.name(name).secretString(json));
        return name;
    }

    /** A new version of {@code name} labelled AWSPENDING only, as createSecret of a rotation writes it. */
    void putPending(String name, String json) {
        client.putSecretValue(r -> r.secretId(name).secretString(json).versionStages("AWSPENDING"));
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
