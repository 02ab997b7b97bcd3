package dev.rotation.testkit.contract;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * What the single-user, alternating-users and fault fixtures each set up the same way: the SDK client
 * of the local Secrets Manager, the function's starting configuration, the Lambda event of one step,
 * random names and passwords, and the quiet clean-up of test users. One place, so the three worlds
 * cannot drift apart in how they talk to the server or name their users.
 */
public final class LocalRotationWorld {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalRotationWorld() {
    }

    /** The real SDK client's builder for the local server: static dummy credentials, us-east-1, URL connection HTTP. */
    public static SecretsManagerClientBuilder clientBuilder(URI endpoint) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    public static SecretsManagerClient client(URI endpoint) {
        return clientBuilder(endpoint).build();
    }

    /** The function's configuration every test starts from (debug logs, bounded database waits); mutable. */
    public static Map<String, String> initialEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("LOG_LEVEL", "DEBUG");
        environment.put("DB_CONNECT_TIMEOUT_SECONDS", "10");
        environment.put("DB_QUERY_TIMEOUT_SECONDS", "20");
        return environment;
    }

    /** The event Lambda hands the function for one step. */
    public static SecretsManagerRotationEvent event(String step, String secretArn, String token) {
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(step);
        event.setSecretId(secretArn);
        event.setClientRequestToken(token);
        event.setRotationToken("rotation-token-" + random(4));
        return event;
    }

    /** A unique name: {@code prefix}, an underscore and eight random hex digits. */
    public static String unique(String prefix) {
        return prefix + "_" + random(4);
    }

    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A password that every engine accepts and no default exclusion touches. */
    public static String newPassword() {
        return "Pw-" + random(12) + "-Xy9";
    }

    /** Drops each user, ignoring failures: a leftover user in a throwaway server changes no other test. */
    public static void dropQuietly(TestDatabase db, Iterable<String> users) {
        for (String user : users) {
            try {
                db.dropUser(user);
            } catch (RuntimeException e) {
                // See above.
            }
        }
    }
}
