/**
 * Application-side access to rotated database secrets, with nothing beyond the AWS SDK's Secrets
 * Manager client and the rotation functions' secret model ({@code dev.rotation.secret}):
 * {@link dev.rotation.client.SecretCache} reads and caches secrets,
 * {@link dev.rotation.client.DatabaseCredentials} is the typed view of a rotation secret, and
 * {@link dev.rotation.client.SecretsManagerDataSource} opens JDBC connections that keep logging in
 * while the secret rotates (also as the DataSource under a pool such as HikariCP), over verified TLS
 * unless the secret says {@code "ssl": false}.
 *
 * <pre>{@code
 * SecretCache secrets = SecretCache.create(SecretsManagerClient.create());
 * DataSource dataSource = SecretsManagerDataSource.builder()
 *         .secretId("prod/dbCredentials")
 *         .secretCache(secrets)
 *         .build();
 * try (Connection c = dataSource.getConnection()) {
 *     ...
 * }
 * }</pre>
 */
package dev.rotation.client;
