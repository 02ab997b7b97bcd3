package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Engine;
import org.junit.jupiter.api.Test;

class DatabaseCredentialsTest {
    private static final String PASSWORD = "S3cr3t:pa\\ss\"w0rd";

    @Test
    void fromJson_readsTheRotationSecret() {
        DatabaseCredentials c = DatabaseCredentials.fromJson("{\"engine\":\"postgres\",\"host\":\"db.example\","
                + "\"port\":\"6432\",\"username\":\"app\",\"password\":\"S3cr3t:pa\\\\ss\\\"w0rd\",\"dbname\":\"shop\","
                + "\"ssl\":true,\"masterarn\":\"arn:x\",\"extra\":{\"a\":[1,2.5,null]}}");

        assertThat(c.engine()).isEqualTo(Engine.POSTGRES);
        assertThat(c.engineName()).isEqualTo("postgres");
        assertThat(c.host()).isEqualTo("db.example");
        assertThat(c.port()).isEqualTo(6432);
        assertThat(c.username()).isEqualTo("app");
        assertThat(c.password()).isEqualTo(PASSWORD);
        assertThat(c.dbname()).contains("shop");
        assertThat(c.ssl()).isEqualTo(DatabaseCredentials.Ssl.REQUIRED);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/shop");
    }

    @Test
    void jdbcUrl_usesTheMySqlDriverForMySqlAuroraMySqlAndMariaDb() {
        for (String engine : new String[] {"mysql", "aurora-mysql", "mariadb", "aurora"}) {
            DatabaseCredentials c = DatabaseCredentials.fromJson("{\"engine\":\"" + engine
                    + "\",\"host\":\"10.0.0.5\",\"username\":\"app\",\"password\":\"p\"}");
            assertThat(c.engine()).as(engine).isEqualTo(Engine.MYSQL);
            assertThat(c.jdbcUrl()).isEqualTo("jdbc:mysql://10.0.0.5:3306/");
        }
    }

    @Test
    void fromJson_acceptsExactlyTheEngineValuesOfTheRotationFunctions() {
        for (Engine engine : Engine.values()) {
            for (String value : engine.secretValues()) {
                assertThat(DatabaseCredentials.fromJson("{\"engine\":\"" + value
                        + "\",\"host\":\"db\",\"username\":\"app\",\"password\":\"p\"}").engine()).as(value)
                        .isEqualTo(engine);
            }
        }
        // Values RDS does not write, which the functions refuse too.
        for (String value : new String[] {"postgresql", "MariaDB", " mysql", "oracle"}) {
            assertThatThrownBy(() -> DatabaseCredentials.fromJson("{\"engine\":\"" + value
                    + "\",\"host\":\"db\",\"username\":\"app\",\"password\":\"p\"}")).as(value)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 'engine'")
                    .hasMessageContaining("mysql, aurora-mysql, mariadb, aurora, postgres, aurora-postgresql");
        }
    }

    @Test
    void from_readsAParsedSecretLikeFromJson() {
        DatabaseSecret secret = DatabaseSecret.builder().engine("postgres").host("db").port(6432).username("app")
                .password(PASSWORD).dbname("shop").field("extra", "x").build();

        assertThat(DatabaseCredentials.from(secret)).isEqualTo(DatabaseCredentials.fromJson(secret.toJson()));
        assertThat(DatabaseCredentials.from(secret).jdbcUrl()).isEqualTo("jdbc:postgresql://db:6432/shop");
    }

    @Test
    void jdbcUrl_defaultsPostgresDatabaseAndPortAndEncodesNames() {
        DatabaseCredentials pg = DatabaseCredentials.fromJson(
                "{\"engine\":\"aurora-postgresql\",\"host\":\"::1\",\"username\":\"app\",\"password\":\"p\"}");
        DatabaseCredentials odd = DatabaseCredentials.fromJson("{\"engine\":\"mysql\",\"host\":\"db\",\"port\":3307,"
                + "\"username\":\"app\",\"password\":\"p\",\"dbname\":\"my db/é?x\"}");

        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/postgres");
        assertThat(odd.jdbcUrl()).isEqualTo("jdbc:mysql://db:3307/my%20db%2F%C3%A9%3Fx");
    }

    @Test
    void ssl_isRequiredUnlessTheSecretSaysFalse() {
        String base = "{\"engine\":\"postgres\",\"host\":\"db\",\"username\":\"app\",\"password\":\"pw\"";
        // " False " is unreadable to the rotation functions too (they try TLS): no plaintext on a guess.
        for (String ssl : new String[] {"", ",\"ssl\":true", ",\"ssl\":\"TRUE\"", ",\"ssl\":\"maybe\"", ",\"ssl\":null",
            ",\"ssl\":0", ",\"ssl\":\" False \""}) {
            assertThat(DatabaseCredentials.fromJson(base + ssl + "}").ssl()).as(ssl)
                    .isEqualTo(DatabaseCredentials.Ssl.REQUIRED);
        }
        for (String ssl : new String[] {",\"ssl\":false", ",\"ssl\":\"false\"", ",\"ssl\":\"FALSE\""}) {
            assertThat(DatabaseCredentials.fromJson(base + ssl + "}").ssl()).as(ssl)
                    .isEqualTo(DatabaseCredentials.Ssl.DISABLED);
        }
    }

    @Test
    void differencesFrom_namesEngineFamilyHostPortAndTlsDowngradeOnly() {
        DatabaseCredentials current = DatabaseCredentials.fromJson("{\"engine\":\"mysql\",\"host\":\"Db.Example\","
                + "\"username\":\"app\",\"password\":\"old\"}");

        assertThat(current.differencesFrom(DatabaseCredentials.fromJson("{\"engine\":\"mariadb\",\"host\":\"db.example\","
                + "\"port\":3306,\"username\":\"app_clone\",\"password\":\"new\",\"dbname\":\"x\"}"))).isEmpty();
        assertThat(current.differencesFrom(DatabaseCredentials.fromJson("{\"engine\":\"aurora-postgresql\","
                + "\"host\":\"other.example\",\"port\":3307,\"username\":\"app\",\"password\":\"new\","
                + "\"ssl\":false}"))).containsExactly("engine", "host", "port", "ssl");
        DatabaseCredentials plaintext = DatabaseCredentials.fromJson("{\"engine\":\"mysql\",\"host\":\"db.example\","
                + "\"username\":\"app\",\"password\":\"old\",\"ssl\":false}");
        assertThat(plaintext.differencesFrom(current)).as("turning TLS on").isEmpty();
        DatabaseCredentials v6 = DatabaseCredentials.fromJson(
                "{\"engine\":\"postgres\",\"host\":\"[::1]\",\"username\":\"app\",\"password\":\"p\"}");
        assertThat(v6.differencesFrom(DatabaseCredentials.fromJson(
                "{\"engine\":\"postgres\",\"host\":\"::1\",\"username\":\"app\",\"password\":\"p\"}"))).isEmpty();
    }

    @Test
    void fromJson_rejectsMissingOrBadKeysWithoutShowingTheSecret() {
        assertThatThrownBy(() -> DatabaseCredentials.fromJson("{\"engine\":\"mysql\",\"host\":\"db\",\"username\":\"u\"}"))
                .hasMessageContaining("'password'");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson(
                "{\"engine\":\"oracle\",\"host\":\"db\",\"username\":\"u\",\"password\":\"Hunter2-secret\"}"))
                .hasMessageContaining("'engine'").hasMessageNotContaining("Hunter2");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson(
                "{\"engine\":\"mysql\",\"host\":\"db?sslMode=DISABLED\",\"username\":\"u\",\"password\":\"pw\"}"))
                .hasMessageContaining("'host'");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson(
                "{\"engine\":\"mysql\",\"host\":\"db\",\"port\":70000,\"username\":\"u\",\"password\":\"pw\"}"))
                .hasMessageContaining("'port'");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson("{\"password\":\"Hunter2-secret\" oops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("Hunter2");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson("{\"engine\":\"mysql\",\"host\":\"db\",\"username\":\"u\","
                + "\"password\":\"Hunter2-secret\",\"host\":\"evil.example\"}"))
                .hasMessageContaining("duplicate key").hasMessageNotContaining("Hunter2").hasMessageNotContaining("evil");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson(null)).hasMessageContaining("no string value");
        assertThatThrownBy(() -> DatabaseCredentials.fromJson("plain-text-password"))
                .hasMessageNotContaining("plain-text-password");
    }

    @Test
    void toString_hidesThePassword() {
        DatabaseCredentials c = DatabaseCredentials.fromJson(
                "{\"engine\":\"mysql\",\"host\":\"db\",\"username\":\"app\",\"password\":\"Hunter2-secret\"}");

        assertThat(c.toString()).contains("app").contains("db").doesNotContain("Hunter2");
    }
}
