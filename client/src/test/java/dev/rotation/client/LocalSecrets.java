package dev.rotation.client;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The local Secrets Manager over HTTP, without rotation, and a real SDK client for it. */
final class LocalSecrets implements AutoCloseable {
    final LocalSecretsManager server;
    final SecretsManagerClient client;

    LocalSecrets() {
        server = LocalSecretsManager.builder().port(0).schedulerInterval(java.time.Duration.ZERO).build().start();
        client = client(server.endpoint(), null);
    }

    /** A new secret; returns its name. */
    String create(String json) {
        String name = "app/" + RotationHarness.unique("db");
        client.createSecret(r -> r.name(name).secretString(json));
        return name;
    }

    /** A new version of {@code name} labelled AWSPENDING only, as createSecret of a rotation writes it. */
    void putPending(String name, String json) {
        client.putSecretValue(r -> r.secretId(name).secretString(json).versionStages("AWSPENDING"));
    }

    /** An SDK client for the local server at {@code endpoint}, with {@code interceptor} if not null. */
    static SecretsManagerClient client(URI endpoint, ExecutionInterceptor interceptor) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    if (interceptor != null) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
