package dev.rotation.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The Secrets Manager client the functions use: SDK v2 with the light {@link UrlConnectionHttpClient},
 * the region from {@code AWS_REGION}, and {@value #SECRETS_MANAGER_ENDPOINT} as endpoint override
 * (a VPC endpoint, or a local server). Built on first use and kept for the life of the execution
 * environment, so a cold start pays for it once and only when a step needs it.
 */
public final class SecretsManagerClients {
    /** Environment variable: Secrets Manager endpoint URL used instead of the regional default. */
    public static final String SECRETS_MANAGER_ENDPOINT = "SECRETS_MANAGER_ENDPOINT";
    static final String AWS_REGION = "AWS_REGION";
    static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";
    /** The SDK's own defaults for its HTTP clients (SdkHttpConfigurationOption). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static volatile SecretsManagerClient shared;

    private SecretsManagerClients() {
    }

    /**
     * A new client configured from {@code environment}.
     *
     * @throws RotationException naming the variable when AWS_REGION is missing or the endpoint is invalid
     */
    public static SecretsManagerClient create(Map<String, String> environment) {
        EnvironmentVariables env = new EnvironmentVariables(environment);
        String region = env.get(AWS_REGION)
                .orElseThrow(() -> EnvironmentVariables.invalid(AWS_REGION, "is not set (Lambda sets it)"));
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(httpClient())
                .region(Region.of(region));
        env.get(SECRETS_MANAGER_ENDPOINT).ifPresent(endpoint -> builder.endpointOverride(endpoint(SECRETS_MANAGER_ENDPOINT, endpoint)));
        credentials(env).ifPresent(credentials -> builder.credentialsProvider(StaticCredentialsProvider.create(credentials)));
        return builder.build();
    }

    /**
     * {@link UrlConnectionHttpClient} opening plain {@link java.net.URL#openConnection} connections.
     * Its default factory builds an SSLContext when the client is built — the JSSE provider and the
     * JDK trust store, about a fifth of a cold createSecret — whether or not a connection ever uses
     * TLS. Here an https endpoint (the regional default, or a VPC endpoint) gets the JDK's default
     * SSLContext on its first connection: the same trust store and key store properties the SDK
     * would read, and the JDK's hostname verification; an http endpoint (a local server) never pays
     * for TLS. Proxies come from the JDK's proxy properties ({@code -Dhttps.proxyHost=...}).
     */
    static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.create(SecretsManagerClients::openConnection);
    }

    static HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a connection to " + uri.getScheme() + "://" + uri.getAuthority(), e);
        }
    }

    /**
     * The execution role's credentials when Lambda put them in the environment, as it does for
     * on-demand execution environments: taken directly, the SDK's default chain is not built (six
     * providers — web identity, profile files, container, instance metadata — about a quarter of a
     * second of class loading in a cold start, before the first request). Empty otherwise, and the
     * default chain applies: SnapStart environments get their credentials from the container
     * endpoint, after restore, so a client primed before the snapshot must not hold any.
     */
    static Optional<AwsCredentials> credentials(EnvironmentVariables env) {
        Optional<String> keyId = env.get(AWS_ACCESS_KEY_ID);
        Optional<String> secretKey = env.get(AWS_SECRET_ACCESS_KEY);
        if (keyId.isEmpty() || secretKey.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> sessionToken = env.get(AWS_SESSION_TOKEN);
        return Optional.of(sessionToken.isPresent()
                ? AwsSessionCredentials.create(keyId.get(), secretKey.get(), sessionToken.get())
                : AwsBasicCredentials.create(keyId.get(), secretKey.get()));
    }

    /** An endpoint URL from the environment variable {@code variable}; errors name the variable, never the value. */
    static URI endpoint(String variable, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw EnvironmentVariables.invalid(variable, "must be a URL such as https://host[:port]");
            }
            if (uri.getUserInfo() != null) {
                throw EnvironmentVariables.invalid(variable, "must not contain credentials");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw EnvironmentVariables.invalid(variable, "must be a URL such as https://host[:port]");
        }
    }

    /** The execution environment's client, created from the process environment on first use. */
    static SecretsManagerClient shared() {
        SecretsManagerClient client = shared;
        if (client == null) {
            synchronized (SecretsManagerClients.class) {
                client = shared;
                if (client == null) {
                    client = create(System.getenv());
                    shared = client;
                }
            }
        }
        return client;
    }
}
