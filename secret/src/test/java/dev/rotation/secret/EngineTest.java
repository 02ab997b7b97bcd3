package dev.rotation.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineTest {

    @Test
    void of_mapsEveryRdsEngineValueToItsFamily() {
        assertThat(Engine.of("mysql")).contains(Engine.MYSQL);
        assertThat(Engine.of("aurora-mysql")).contains(Engine.MYSQL);
        assertThat(Engine.of("mariadb")).contains(Engine.MYSQL);
        assertThat(Engine.of("aurora")).contains(Engine.MYSQL);
        assertThat(Engine.of("postgres")).contains(Engine.POSTGRES);
        assertThat(Engine.of("aurora-postgresql")).contains(Engine.POSTGRES);
    }

    @Test
    void of_refusesValuesRdsDoesNotWrite() {
        assertThat(Engine.of("postgresql")).isEmpty();
        assertThat(Engine.of("MySQL")).isEmpty();
        assertThat(Engine.of("oracle")).isEmpty();
        assertThat(Engine.of(null)).isEmpty();
    }

    @Test
    void defaultPortsAndSchemes() {
        assertThat(Engine.MYSQL.defaultPort()).isEqualTo(3306);
        assertThat(Engine.POSTGRES.defaultPort()).isEqualTo(5432);
        assertThat(Engine.POSTGRES.jdbcScheme()).isEqualTo("jdbc:postgresql");
        assertThat(Engine.POSTGRES.defaultDatabase()).contains("postgres");
        assertThat(Engine.MYSQL.defaultDatabase()).isEmpty();
    }
}
