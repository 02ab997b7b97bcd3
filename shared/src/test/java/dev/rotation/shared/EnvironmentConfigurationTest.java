package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

class EnvironmentConfigurationTest {

    @Test
    void connectionSettings_defaults() {
        ConnectionSettings settings = ConnectionSettings.fromEnvironment(Map.of());

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.caBundle()).isEmpty();
        assertThat(settings.allowPlaintextFallback()).isFalse();
        assertThat(settings.allowPublicKeyRetrieval()).isFalse();
    }

    @Test
    void connectionSettings_readsEveryVariable(@TempDir Path dir) throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

        ConnectionSettings settings = ConnectionSettings.fromEnvironment(Map.of(
                "DB_CONNECT_TIMEOUT_SECONDS", "2", "DB_QUERY_TIMEOUT_SECONDS", " 30 ",
                "DB_TLS_CA_BUNDLE", bundle.toString(), "ALLOW_PLAINTEXT_FALLBACK", "FALSE",
                "ALLOW_PUBLIC_KEY_RETRIEVAL", "yes"));

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.caBundle()).contains(bundle);
        assertThat(settings.allowPlaintextFallback()).isFalse();
        assertThat(settings.allowPublicKeyRetrieval()).isTrue();
    }

    @Test
    void connectionSettings_emptyValuesMeanDefaults() {
        ConnectionSettings settings = ConnectionSettings.fromEnvironment(Map.of(
                "DB_CONNECT_TIMEOUT_SECONDS", "", "DB_TLS_CA_BUNDLE", "", "ALLOW_PLAINTEXT_FALLBACK", " "));

        assertThat(settings).isEqualTo(ConnectionSettings.defaults());
    }

    @ParameterizedTest
    @CsvSource({
        "DB_CONNECT_TIMEOUT_SECONDS, five", "DB_CONNECT_TIMEOUT_SECONDS, 0", "DB_QUERY_TIMEOUT_SECONDS, -3",
        "DB_QUERY_TIMEOUT_SECONDS, 1.5", "ALLOW_PLAINTEXT_FALLBACK, maybe", "DB_TLS_CA_BUNDLE, /no/such/ca.pem"})
    void connectionSettings_invalidValue_namesVariable(String variable, String value) {
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(RotationException.class)
                .hasMessageStartingWith("environment variable " + variable + " ");
    }

    @Test
    void passwordPolicy_defaultsPerEngine() {
        GetRandomPasswordRequest mysql = PasswordPolicy.fromEnvironment(env(Map.of()), FakeDatabase.mysql()).toRequest();
        GetRandomPasswordRequest postgres =
                PasswordPolicy.fromEnvironment(env(Map.of()), FakeDatabase.postgres()).toRequest();

        assertThat(mysql.excludeCharacters()).isEqualTo("/@\"'\\");
        assertThat(postgres.excludeCharacters()).isEqualTo("/@\"'\\:");
        for (GetRandomPasswordRequest request : new GetRandomPasswordRequest[] {mysql, postgres}) {
            assertThat(request.passwordLength()).isEqualTo(32L);
            assertThat(request.excludeNumbers()).isFalse();
            assertThat(request.excludePunctuation()).isFalse();
            assertThat(request.excludeUppercase()).isFalse();
            assertThat(request.excludeLowercase()).isFalse();
            assertThat(request.includeSpace()).isFalse();
            assertThat(request.requireEachIncludedType()).isTrue();
        }
    }

    @Test
    void passwordPolicy_readsEveryVariable() {
        GetRandomPasswordRequest request = PasswordPolicy.fromEnvironment(env(Map.of(
                "PASSWORD_LENGTH", "64", "EXCLUDE_CHARACTERS", "abc ", "EXCLUDE_NUMBERS", "Y",
                "EXCLUDE_PUNCTUATION", "1", "EXCLUDE_UPPERCASE", "yes", "EXCLUDE_LOWERCASE", "false",
                "REQUIRE_EACH_INCLUDED_TYPE", "No")), FakeDatabase.postgres()).toRequest();

        assertThat(request.passwordLength()).isEqualTo(64L);
        assertThat(request.excludeCharacters()).isEqualTo("abc ");
        assertThat(request.excludeNumbers()).isTrue();
        assertThat(request.excludePunctuation()).isTrue();
        assertThat(request.excludeUppercase()).isTrue();
        assertThat(request.excludeLowercase()).isFalse();
        assertThat(request.requireEachIncludedType()).isFalse();
    }

    @Test
    void passwordPolicy_emptyExcludeCharacters_meansEngineDefault() {
        GetRandomPasswordRequest request =
                PasswordPolicy.fromEnvironment(env(Map.of("EXCLUDE_CHARACTERS", "")), FakeDatabase.mysql()).toRequest();

        assertThat(request.excludeCharacters()).isEqualTo("/@\"'\\");
    }

    @ParameterizedTest
    @CsvSource({
        "PASSWORD_LENGTH, 0", "PASSWORD_LENGTH, 4097", "PASSWORD_LENGTH, thirty", "EXCLUDE_NUMBERS, sometimes",
        "EXCLUDE_PUNCTUATION, 2", "EXCLUDE_UPPERCASE, on", "EXCLUDE_LOWERCASE, ja", "REQUIRE_EACH_INCLUDED_TYPE, t"})
    void passwordPolicy_invalidValue_namesVariable(String variable, String value) {
        assertThatThrownBy(() -> PasswordPolicy.fromEnvironment(env(Map.of(variable, value)), FakeDatabase.mysql()))
                .isInstanceOf(RotationException.class)
                .hasMessageStartingWith("environment variable " + variable + " ");
    }

    @Test
    void passwordPolicy_excludingEverything_fails() {
        assertThatThrownBy(() -> PasswordPolicy.fromEnvironment(env(Map.of("EXCLUDE_NUMBERS", "true",
                "EXCLUDE_PUNCTUATION", "true", "EXCLUDE_UPPERCASE", "true", "EXCLUDE_LOWERCASE", "true")),
                FakeDatabase.mysql())).isInstanceOf(RotationException.class).hasMessageContaining("every kind");
    }

    @ParameterizedTest
    @CsvSource({"DEBUG, DEBUG", "info, INFO", "Warn, WARN", "ERROR, ERROR"})
    void logLevel_fromLogLevel(String value, RotationLog.Level expected) {
        assertThat(RotationLog.Level.fromEnvironment(env(Map.of("LOG_LEVEL", value)))).isEqualTo(expected);
    }

    @Test
    void logLevel_fallsBackToLambdasVariableThenInfo() {
        assertThat(RotationLog.Level.fromEnvironment(env(Map.of("AWS_LAMBDA_LOG_LEVEL", "TRACE"))))
                .isEqualTo(RotationLog.Level.DEBUG);
        assertThat(RotationLog.Level.fromEnvironment(env(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL"))))
                .isEqualTo(RotationLog.Level.ERROR);
        assertThat(RotationLog.Level.fromEnvironment(env(Map.of("LOG_LEVEL", "WARN", "AWS_LAMBDA_LOG_LEVEL", "DEBUG"))))
                .isEqualTo(RotationLog.Level.WARN);
        assertThat(RotationLog.Level.fromEnvironment(env(Map.of()))).isEqualTo(RotationLog.Level.INFO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VERBOSE", "3"})
    void logLevel_invalid_namesVariable(String value) {
        assertThatThrownBy(() -> RotationLog.Level.fromEnvironment(env(Map.of("LOG_LEVEL", value))))
                .isInstanceOf(RotationException.class)
                .hasMessage("environment variable LOG_LEVEL must be DEBUG, INFO, WARN or ERROR");
    }

    @Test
    void secretsManagerClient_usesRegionAndEndpointOverride() {
        try (var client = SecretsManagerClients.create(Map.of("AWS_REGION", "eu-west-1",
                "SECRETS_MANAGER_ENDPOINT", "http://localhost:4566"))) {
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(client.serviceClientConfiguration().endpointOverride()).hasValueSatisfying(
                    uri -> assertThat(uri.toString()).isEqualTo("http://localhost:4566"));
        }
    }

    @Test
    void secretsManagerClient_withoutRegionOrWithBadEndpoint_namesVariable() {
        assertThatThrownBy(() -> SecretsManagerClients.create(Map.of()))
                .isInstanceOf(RotationException.class).hasMessageContaining("AWS_REGION");
        assertThatThrownBy(() -> SecretsManagerClients.create(Map.of("AWS_REGION", "us-east-1",
                "SECRETS_MANAGER_ENDPOINT", "not a url")))
                .isInstanceOf(RotationException.class).hasMessageContaining("SECRETS_MANAGER_ENDPOINT");
        assertThatThrownBy(() -> SecretsManagerClients.create(Map.of("AWS_REGION", "us-east-1",
                "SECRETS_MANAGER_ENDPOINT", "https://user:pw@example.com")))
                .isInstanceOf(RotationException.class)
                .hasMessage("environment variable SECRETS_MANAGER_ENDPOINT must not contain credentials");
    }

    private static EnvironmentVariables env(Map<String, String> values) {
        return new EnvironmentVariables(values);
    }
}
