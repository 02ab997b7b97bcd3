package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.mysql.MySqlServerVersion.Flavor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlServerVersionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "8.0.36                                        | MYSQL        | 8  | 0  | 36",
        "9.1.0                                         | MYSQL        | 9  | 1  | 0",
        "10.0.1                                        | MYSQL        | 10 | 0  | 1",
        "5.7.44-log                                    | MYSQL        | 5  | 7  | 44",
        "8.0.36-28                                     | MYSQL        | 8  | 0  | 36",
        "8.4.3-commercial                              | MYSQL        | 8  | 4  | 3",
        "5.6.51                                        | MYSQL        | 5  | 6  | 51",
        "10.11.19-MariaDB                              | MARIADB      | 10 | 11 | 19",
        "10.11.19-MariaDB-0+deb12u1                    | MARIADB      | 10 | 11 | 19",
        "5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204 | MARIADB      | 10 | 11 | 6",
        "11.4.2-MariaDB-log                            | MARIADB      | 11 | 4  | 2",
        "10.1.48-MariaDB                               | MARIADB      | 10 | 1  | 48",
        "8.0.mysql_aurora.3.05.2                       | AURORA_MYSQL | 8  | 0  | -1",
        "5.7.mysql_aurora.2.11.2                       | AURORA_MYSQL | 5  | 7  | -1",
    })
    void parse_readsFlavorAndNumbers(String text, Flavor flavor, int major, int minor, int patch) {
        assertThat(MySqlServerVersion.parse(text)).contains(new MySqlServerVersion(flavor, major, minor, patch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "MySQL", "v8.0.36", "8", "99999999999.0.1"})
    void parse_whenNoLeadingVersion_isEmpty(String text) {
        assertThat(MySqlServerVersion.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.7.6", "5.7.44-log", "8.0.11", "8.0.36", "8.4.0", "9.1.0", "10.0.0",
        "8.0.mysql_aurora.3.05.2", "5.7.mysql_aurora.2.11.2"})
    void changesOwnPasswordWithAlterUser_onModernMySql_isTrue(String text) {
        assertThat(MySqlServerVersion.parse(text).orElseThrow().changesOwnPasswordWithAlterUser()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.2.0-MariaDB", "10.11.19-MariaDB", "11.4.2-MariaDB", "5.5.5-10.6.18-MariaDB",
        "10.1.48-MariaDB", "5.5.68-MariaDB", "5.7.5", "5.6.51", "5.5.62", "5.6.mysql_aurora.1.22.2", "5.7"})
    void changesOwnPasswordWithAlterUser_onMariaDbAndOldMySql_isFalse_andPasswordFunctionExists(String text) {
        MySqlServerVersion version = MySqlServerVersion.parse(text).orElseThrow();
        assertThat(version.changesOwnPasswordWithAlterUser()).isFalse();
        assertThat(version.hasPasswordFunction()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.0.11", "8.0.36", "8.4.0", "9.1.0", "10.0.0"})
    void hasPasswordFunction_onMySqlFrom8011_isFalse(String text) {
        assertThat(MySqlServerVersion.parse(text).orElseThrow().hasPasswordFunction()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.11.19-MariaDB", "11.4.2-MariaDB", "8.0.10", "5.7.44"})
    void hasPasswordFunction_onMariaDbAndOldMySql_isTrue(String text) {
        assertThat(MySqlServerVersion.parse(text).orElseThrow().hasPasswordFunction()).isTrue();
    }
}
