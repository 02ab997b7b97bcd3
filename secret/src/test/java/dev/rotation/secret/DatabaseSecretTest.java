package dev.rotation.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseSecretTest {
    private static final String PASSWORD = "S3cret-Value!";

    private static String json(String extra) {
        return "{\"engine\":\"postgres\",\"host\":\"db.example.com\",\"username\":\"app\",\"password\":\"" + PASSWORD
                + "\"" + extra + "}";
    }

    @Test
    void parse_readsKnownKeys() {
        DatabaseSecret secret = DatabaseSecret.parse(json(",\"port\":5433,\"dbname\":\"orders\",\"ssl\":true,"
                + "\"masterarn\":\"arn:aws:secretsmanager:us-east-1:1:secret:master\""));

        assertThat(secret.engine()).isEqualTo("postgres");
        assertThat(secret.host()).isEqualTo("db.example.com");
        assertThat(secret.username()).isEqualTo("app");
        assertThat(secret.password()).isEqualTo(PASSWORD);
        assertThat(secret.port()).isEqualTo(OptionalInt.of(5433));
        assertThat(secret.dbname()).contains("orders");
        assertThat(secret.ssl()).isEqualTo(SslMode.REQUIRED);
        assertThat(secret.masterArn()).contains("arn:aws:secretsmanager:us-east-1:1:secret:master");
    }

    @Test
    void parseMaster_withOnlyUsernameAndPassword_namesNoServer() {
        MasterSecret master = MasterSecret.parse("{\"username\":\"admin\",\"password\":\"M4ster\"}");

        assertThat(master.host()).isEmpty();
        assertThat(master.port()).isEmpty();
        assertThat(master.ssl()).isEqualTo(SslMode.PREFERRED);
        assertThat(master.engine()).isEmpty();
        assertThat(master.dbname()).isEmpty();
        assertThat(master.username()).isEqualTo("admin");
        assertThat(master.password()).isEqualTo("M4ster");
        assertThat(master.toString()).doesNotContain("M4ster");
    }

    @Test
    void parseMaster_withItsOwnServer_keepsItsHostPortSslAndDatabase() {
        MasterSecret master = MasterSecret.parse("{\"engine\":\"postgres\",\"host\":\"other.example.com\","
                + "\"port\":5433,\"ssl\":false,\"dbname\":\"admin_db\",\"username\":\"admin\",\"password\":\"M4ster\"}");

        assertThat(master.host()).contains("other.example.com");
        assertThat(master.port()).isEqualTo(OptionalInt.of(5433));
        assertThat(master.ssl()).isEqualTo(SslMode.DISABLED);
        assertThat(master.dbname()).contains("admin_db");
        assertThat(master.engine()).contains("postgres");
    }

    @Test
    void parseMaster_withoutPassword_failsNamingTheKey() {
        assertThatThrownBy(() -> MasterSecret.parse("{\"username\":\"admin\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 'password' is missing");
    }

    @Test
    void parseMaster_withAPortButNoHost_fails() {
        assertThatThrownBy(() -> MasterSecret.parse("{\"username\":\"admin\",\"password\":\"M4ster\",\"port\":5432}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 'host' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"username", "host", "dbname"})
    void parse_withAControlCharacterInAName_failsNamingTheKey(String key) {
        String json = json(",\"dbname\":\"orders\"").replace("\"" + key + "\":\"", "\"" + key + "\":\"a\\u001b[2J");

        assertThatThrownBy(() -> DatabaseSecret.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key '" + key + "' contains a control character");
    }

    @Test
    void parse_withoutOptionalKeys_leavesThemEmpty() {
        DatabaseSecret secret = DatabaseSecret.parse(json(""));

        assertThat(secret.port()).isEmpty();
        assertThat(secret.dbname()).isEmpty();
        assertThat(secret.masterArn()).isEmpty();
        assertThat(secret.ssl()).isEqualTo(SslMode.PREFERRED);
    }

    @Test
    void parse_portAsString_isAccepted() {
        assertThat(DatabaseSecret.parse(json(",\"port\":\"3306\"")).port()).isEqualTo(OptionalInt.of(3306));
        assertThat(DatabaseSecret.parse(json(",\"port\":5432.0")).port()).isEqualTo(OptionalInt.of(5432));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "true", "[5432]", "\"\""})
    void parse_portNotANumber_fails(String port) {
        assertThatThrownBy(() -> DatabaseSecret.parse(json(",\"port\":" + port)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 'port' must be a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "80.5", "-1"})
    void parse_portOutOfRange_fails(String port) {
        assertThatThrownBy(() -> DatabaseSecret.parse(json(",\"port\":" + port)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'port' must be a whole number from 1 to 65535");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true|REQUIRED", "\"true\"|REQUIRED", "\"TRUE\"|REQUIRED",
        "false|DISABLED", "\"false\"|DISABLED", "\"False\"|DISABLED",
        "\"yes\"|PREFERRED", "1|PREFERRED", "null|PREFERRED", "{}|PREFERRED"})
    void parse_sslAsTheReferenceReadsIt(String value, SslMode expected) {
        assertThat(DatabaseSecret.parse(json(",\"ssl\":" + value)).ssl()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"engine", "host", "username", "password"})
    void parse_missingRequiredKey_namesIt(String key) {
        String json = json("").replace("\"" + key + "\"", "\"x" + key + "\"");

        assertThatThrownBy(() -> DatabaseSecret.parse(json))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key '" + key + "' is missing");
    }

    @Test
    void parse_requiredKeyOfWrongTypeOrEmpty_namesIt() {
        assertThatThrownBy(() -> DatabaseSecret.parse(json("").replace("\"db.example.com\"", "42")))
                .hasMessage("key 'host' must be a string");
        assertThatThrownBy(() -> DatabaseSecret.parse(json("").replace("\"app\"", "\" \"")))
                .hasMessage("key 'username' is empty");
        assertThatThrownBy(() -> DatabaseSecret.parse(json("").replace("\"db.example.com\"", "null")))
                .hasMessage("key 'host' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "\"text\"", "42", "{\"password\":\"" + PASSWORD + "\"",
        "{\"password\":\"" + PASSWORD + "\"} trailing", "{'password':'" + PASSWORD + "'}"})
    void parse_malformed_failsWithoutQuotingTheValue(String text) {
        assertThatThrownBy(() -> DatabaseSecret.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret value ")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void parse_notAnObject_saysSo() {
        assertThatThrownBy(() -> DatabaseSecret.parse("[1,2]")).hasMessage("secret value is not a JSON object");
    }

    @Test
    void parse_duplicateKey_isRefused() {
        assertThatThrownBy(() -> DatabaseSecret.parse(json(",\"host\":\"other.example.com\"")))
                .hasMessage("secret value has a duplicate key");
    }

    @Test
    void toJson_keepsUnknownKeysWithOrderAndTypes() {
        String json = "{\"z-first\":{\"nested\":[1,2.50,null,true,\"s\"]},\"engine\":\"mysql\",\"host\":\"h\","
                + "\"port\":\"3306\",\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"big\":12345678901234567890,"
                + "\"ssl\":\"maybe\",\"unicode\":\"caf\u00e9 \\u2028 \\\"q\\\"\"}";

        DatabaseSecret secret = DatabaseSecret.parse(json);

        assertThat(secret.toJson()).isEqualTo(json.replace("\\u2028", "\u2028"));
        assertThat(secret.otherKeys()).containsExactly("z-first", "big", "unicode");
    }

    @Test
    void withPassword_replacesOnlyThePasswordInPlace() {
        DatabaseSecret secret = DatabaseSecret.parse(json(",\"extra\":[1]"));

        DatabaseSecret changed = secret.withPassword("n\"ew\\pw\n");

        assertThat(changed.password()).isEqualTo("n\"ew\\pw\n");
        assertThat(changed.toJson()).isEqualTo(json(",\"extra\":[1]").replace(PASSWORD, "n\\\"ew\\\\pw\\n"));
        assertThat(DatabaseSecret.parse(changed.toJson()).password()).isEqualTo("n\"ew\\pw\n");
        assertThat(secret.password()).isEqualTo(PASSWORD);
    }

    @Test
    void withUsername_replacesOnlyTheUsername() {
        DatabaseSecret changed = DatabaseSecret.parse(json("")).withUsername("app_clone");

        assertThat(changed.username()).isEqualTo("app_clone");
        assertThat(changed.toJson()).isEqualTo(json("").replace("\"app\"", "\"app_clone\""));
    }

    @Test
    void toString_redactsPasswordAndUnknownValues() {
        DatabaseSecret secret = DatabaseSecret.parse(json(",\"api_key\":\"AKIA-very-secret\""));

        assertThat(secret.toString())
                .contains("username=app", "password=<redacted>", "otherKeys=[api_key]")
                .doesNotContain(PASSWORD, "AKIA-very-secret");
    }

    @Test
    void equals_comparesTheJson() {
        assertThat(DatabaseSecret.parse(json(""))).isEqualTo(DatabaseSecret.parse(json("")));
        assertThat(DatabaseSecret.parse(json(""))).isNotEqualTo(DatabaseSecret.parse(json("")).withPassword("other"));
    }

    @Test
    void builder_writesAndValidatesTheKeys() {
        DatabaseSecret secret = DatabaseSecret.builder().engine("mariadb").host("db").port(3307)
                .username("we'ird \"user`").password(PASSWORD).dbname("app").ssl(SslMode.DISABLED)
                .field("note", "kept").build();

        assertThat(secret.toJson()).isEqualTo("{\"engine\":\"mariadb\",\"host\":\"db\",\"port\":3307,"
                + "\"username\":\"we'ird \\\"user`\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"app\","
                + "\"ssl\":false,\"note\":\"kept\"}");
        assertThat(secret.username()).isEqualTo("we'ird \"user`");
        assertThat(secret.ssl()).isEqualTo(SslMode.DISABLED);
        assertThatThrownBy(() -> DatabaseSecret.builder().engine("mysql").host("db").password("x").build())
                .hasMessage("key 'username' is missing");
    }
}
