package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.shared.RotationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MySqlUserAdminTest {
    private final MySqlEngine admin = new MySqlEngine();

    @Test
    void usernameLimit_defaultsTo32Characters() {
        var limit = admin.usernameLimit(Map.of());

        limit.check("a".repeat(26) + "_clone");
        assertThatThrownBy(() -> limit.check("a".repeat(27) + "_clone")).isInstanceOf(RotationException.class)
                .hasMessageContaining("MAX_USERNAME_LENGTH");
    }

    @Test
    void usernameLimit_followsMaxUsernameLength() {
        assertThat(admin.usernameLimit(Map.of(MySqlEngine.MAX_USERNAME_LENGTH, "16")).max()).isEqualTo(16);
        assertThat(admin.usernameLimit(Map.of(MySqlEngine.MAX_USERNAME_LENGTH, "80")).max()).isEqualTo(80);
        assertThatThrownBy(() -> admin.usernameLimit(Map.of(MySqlEngine.MAX_USERNAME_LENGTH, "many")))
                .isInstanceOf(RotationException.class).hasMessageContaining("MAX_USERNAME_LENGTH");
    }

    @Test
    void account_quotesUserAndHostWithBackticks() {
        assertThat(MySqlEngine.account("a`b'c\\d", "%")).isEqualTo("`a``b'c\\d`@`%`");
        assertThatThrownBy(() -> MySqlEngine.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
