package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.shared.RotationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUserAdminTest {

    @Test
    void quote_doublesDoubleQuotes() {
        assertThat(PostgresEngine.quote("a\"b c")).isEqualTo("\"a\"\"b c\"");
    }

    @Test
    void quote_refusesNamesTheServerWouldTruncateOrCannotHold() {
        assertThatThrownBy(() -> PostgresEngine.quote("é".repeat(32))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63 bytes");
        assertThatThrownBy(() -> PostgresEngine.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PostgresEngine.quote("a".repeat(63))).hasSize(65);
    }

    @Test
    void usernameLimit_is63Utf8BytesWhateverTheEnvironment() {
        var limit = new PostgresEngine().usernameLimit(Map.of("MAX_USERNAME_LENGTH", "16"));

        limit.check("a".repeat(57) + "_clone");
        assertThatThrownBy(() -> limit.check("é".repeat(29) + "_clone")).isInstanceOf(RotationException.class)
                .hasMessageContaining("64 bytes");
    }
}
