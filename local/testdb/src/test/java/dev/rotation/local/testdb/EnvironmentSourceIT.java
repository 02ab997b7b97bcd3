package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A server named by TEST_MYSQL_* / TEST_POSTGRES_* variables is used as it is, and is not ours to stop. */
class EnvironmentSourceIT {

    static Stream<String> engines() {
        return Engines.names();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void serverFromEnvironmentVariables_isAdministeredLikeAnyOther(String engine) {
        TestDatabase real = Engines.shared(engine);
        String prefix = engine.equals("mysql") ? "TEST_MYSQL" : "TEST_POSTGRES";
        Map<String, String> env = Map.of(
                prefix + "_URL", real.jdbcUrl(engine.equals("mysql") ? "" : "postgres"),
                prefix + "_ADMIN_USER", real.adminUsername(),
                prefix + "_ADMIN_PASSWORD", real.adminPassword());
        TestDatabase fromEnv = AbstractTestDatabase.of(
                TestDatabases.resolve(engine.equals("mysql") ? Kind.MYSQL : Kind.POSTGRES, env), false);
        String user = "env_" + Passwords.suffix(8);

        String dbName = fromEnv.createDatabase("env");
        fromEnv.createAppUser(dbName, user, "env-Password-1");

        assertThat(fromEnv.describe()).contains(prefix + "_URL").contains(":" + real.port())
                .doesNotContain(real.adminPassword());
        assertThat(fromEnv.engine()).isEqualTo(real.engine());
        assertThat(fromEnv.canLogin(dbName, user, "env-Password-1")).isTrue();
        assertThat(fromEnv.canLogin(dbName, user, "wrong-Password-1")).isFalse();
        fromEnv.close();
        assertThat(real.canLogin(dbName, user, "env-Password-1")).as("still running after close").isTrue();
    }
}
