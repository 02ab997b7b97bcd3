package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvironmentServerTest {

    @Test
    void fromEnvironment_withoutUrl_isEmpty() {
        assertThat(EnvironmentServer.fromEnvironment(Kind.MYSQL, Map.of("TEST_MYSQL_ADMIN_PASSWORD", "pw"))).isEmpty();
    }

    @Test
    void fromEnvironment_readsHostPortDatabaseAndCredentials() {
        DatabaseServer s = EnvironmentServer.fromEnvironment(Kind.POSTGRES, Map.of(
                "TEST_POSTGRES_URL", "jdbc:postgresql://db.example:6543/admin?sslmode=require",
                "TEST_POSTGRES_ADMIN_USER", "boss",
                "TEST_POSTGRES_ADMIN_PASSWORD", "s3cret-Pw")).orElseThrow();

        assertThat(s.host()).isEqualTo("db.example");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.adminDatabase()).isEqualTo("admin");
        assertThat(s.adminUser()).isEqualTo("boss");
        assertThat(s.adminPassword()).isEqualTo("s3cret-Pw");
        assertThat(Jdbc.url(s, "app_1")).isEqualTo("jdbc:postgresql://db.example:6543/app_1?sslmode=require");
        assertThat(s.origin()).contains("db.example:6543").doesNotContain("s3cret-Pw");
    }

    @Test
    void fromEnvironment_withoutPortOrUser_usesTheEngineDefaults() {
        DatabaseServer s = EnvironmentServer.fromEnvironment(Kind.MYSQL, Map.of(
                "TEST_MYSQL_URL", "jdbc:mysql://[::1]/",
                "TEST_MYSQL_ADMIN_PASSWORD", "pw")).orElseThrow();

        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.port()).isEqualTo(3306);
        assertThat(s.adminUser()).isEqualTo("root");
        assertThat(Jdbc.url(s, "app_1")).isEqualTo("jdbc:mysql://[::1]:3306/app_1");
    }

    @Test
    void fromEnvironment_withoutPassword_failsNamingTheVariable() {
        assertThatThrownBy(() -> EnvironmentServer.fromEnvironment(Kind.MYSQL,
                Map.of("TEST_MYSQL_URL", "jdbc:mysql://db:3306/")))
                .isInstanceOf(TestDatabaseUnavailableException.class)
                .hasMessageContaining("TEST_MYSQL_ADMIN_PASSWORD");
    }

    @Test
    void fromEnvironment_withCredentialsInTheUrl_failsWithoutEchoingThem() {
        assertThatThrownBy(() -> EnvironmentServer.fromEnvironment(Kind.POSTGRES, Map.of(
                "TEST_POSTGRES_URL", "jdbc:postgresql://db/x?user=a&password=leaked-Pw",
                "TEST_POSTGRES_ADMIN_PASSWORD", "pw")))
                .isInstanceOf(TestDatabaseUnavailableException.class)
                .hasMessageContaining("TEST_POSTGRES_ADMIN_USER")
                .hasMessageNotContaining("leaked-Pw");
    }

    @Test
    void fromEnvironment_withAnotherEnginesUrl_failsWithoutEchoingIt() {
        assertThatThrownBy(() -> EnvironmentServer.fromEnvironment(Kind.MYSQL, Map.of(
                "TEST_MYSQL_URL", "jdbc:postgresql://u:leaked-Pw@db/x",
                "TEST_MYSQL_ADMIN_PASSWORD", "pw")))
                .isInstanceOf(TestDatabaseUnavailableException.class)
                .hasMessageContaining("jdbc:mysql://")
                .hasMessageNotContaining("leaked-Pw");
    }

    @Test
    void resolve_whenTheUrlIsSet_usesItWithoutStartingAnything() {
        DatabaseServer s = TestDatabases.resolve(Kind.MYSQL, Map.of(
                "TEST_MYSQL_URL", "jdbc:mysql://db.example:3307/", "TEST_MYSQL_ADMIN_PASSWORD", "pw"));

        assertThat(s).isInstanceOf(EnvironmentServer.class);
        assertThatThrownBy(s::restart).isInstanceOf(UnsupportedOperationException.class);
    }
}
