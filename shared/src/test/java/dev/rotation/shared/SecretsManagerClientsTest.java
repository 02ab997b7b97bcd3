package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class SecretsManagerClientsTest {

    @Test
    void credentials_whenLambdaSetsSessionCredentials_takesThemFromTheEnvironment() {
        var credentials = SecretsManagerClients.credentials(new EnvironmentVariables(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret-key", "AWS_SESSION_TOKEN", "token")));

        assertThat(credentials).hasValueSatisfying(c -> {
            assertThat(c).isInstanceOf(AwsSessionCredentials.class);
            assertThat(c.accessKeyId()).isEqualTo("AKIDEXAMPLE");
            assertThat(((AwsSessionCredentials) c).sessionToken()).isEqualTo("token");
        });
    }

    @Test
    void credentials_withoutSessionToken_areBasicCredentials() {
        var credentials = SecretsManagerClients.credentials(new EnvironmentVariables(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret-key")));

        assertThat(credentials).hasValueSatisfying(c -> assertThat(c).isExactlyInstanceOf(AwsBasicCredentials.class));
    }

    @Test
    void credentials_whenTheEnvironmentHasNone_leaveTheDefaultChain() {
        assertThat(SecretsManagerClients.credentials(new EnvironmentVariables(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"))))
                .isEmpty();
        assertThat(SecretsManagerClients.credentials(new EnvironmentVariables(Map.of()))).isEmpty();
    }

    @Test
    void openConnection_http_isPlainWithTheSdkTimeouts() {
        HttpURLConnection connection = SecretsManagerClients.openConnection(URI.create("http://127.0.0.1:4566/"));

        assertThat(connection).isNotInstanceOf(HttpsURLConnection.class);
        assertThat(connection.getConnectTimeout()).isEqualTo(2_000);
        assertThat(connection.getReadTimeout()).isEqualTo(30_000);
    }

    @Test
    void openConnection_https_usesTheJdkDefaultTlsAndHostnameChecks() {
        HttpURLConnection connection = SecretsManagerClients.openConnection(
                URI.create("https://secretsmanager.eu-west-1.amazonaws.com/"));

        assertThat(connection).isInstanceOf(HttpsURLConnection.class);
        HttpsURLConnection https = (HttpsURLConnection) connection;
        assertThat(https.getSSLSocketFactory()).isSameAs(HttpsURLConnection.getDefaultSSLSocketFactory());
        assertThat(https.getHostnameVerifier()).isSameAs(HttpsURLConnection.getDefaultHostnameVerifier());
        assertThat(connection.getConnectTimeout()).isEqualTo(2_000);
        assertThat(connection.getReadTimeout()).isEqualTo(30_000);
    }
}
