package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AlternateUsernameTest {

    @Test
    void of_whenBaseName_appendsSuffix() {
        assertThat(AlternateUsername.of("app")).isEqualTo("app_clone");
    }

    @Test
    void of_whenCloneName_stripsSuffix() {
        assertThat(AlternateUsername.of("app_clone")).isEqualTo("app");
    }

    @Test
    void of_twice_givesTheNameBack() {
        assertThat(AlternateUsername.of(AlternateUsername.of("o'neil `x`"))).isEqualTo("o'neil `x`");
        assertThat(AlternateUsername.of(AlternateUsername.of("app_clone"))).isEqualTo("app_clone");
    }

    @Test
    void of_whenNameIsOnlyTheSuffix_appendsIt() {
        assertThat(AlternateUsername.of("_clone")).isEqualTo("_clone_clone");
        assertThat(AlternateUsername.of("_clone_clone")).isEqualTo("_clone");
    }

    @Test
    void of_suffixInTheMiddle_isNotStripped() {
        assertThat(AlternateUsername.of("app_clone_reader")).isEqualTo("app_clone_reader_clone");
    }

    @Test
    void baseOfAndCloneOf_areTheSameForBothUsersOfAPair() {
        assertThat(AlternateUsername.baseOf("app")).isEqualTo("app");
        assertThat(AlternateUsername.baseOf("app_clone")).isEqualTo("app");
        assertThat(AlternateUsername.cloneOf("app")).isEqualTo("app_clone");
        assertThat(AlternateUsername.cloneOf("app_clone")).isEqualTo("app_clone");
    }

    @Test
    void usernameLimit_inCharacters_acceptsTheMaximumAndRefusesOneMore() {
        UsernameLimit limit = UsernameLimit.characters(32, "MySQL");

        limit.check("a".repeat(26) + "_clone");

        assertThatThrownBy(() -> limit.check("a".repeat(27) + "_clone"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'" + "a".repeat(27) + "_clone'")
                .hasMessageContaining("33 characters")
                .hasMessageContaining("32 characters");
    }

    @Test
    void usernameLimit_inCharacters_countsCodePointsNotBytes() {
        UsernameLimit limit = UsernameLimit.characters(10, "MySQL");

        limit.check("ééé_clone");

        assertThat(limit.lengthOf("ééé_clone")).isEqualTo(9);
    }

    @Test
    void usernameLimit_inUtf8Bytes_countsBytes() {
        UsernameLimit limit = UsernameLimit.utf8Bytes(63, "PostgreSQL");
        String fits = "é".repeat(28) + "a" + "_clone";
        String tooLong = "é".repeat(29) + "_clone";

        limit.check(fits);

        assertThat(limit.lengthOf(fits)).isEqualTo(63);
        assertThatThrownBy(() -> limit.check(tooLong)).isInstanceOf(RotationException.class)
                .hasMessageContaining("64 bytes");
    }

    @Test
    void usernameLimit_fromEnvironment_usesTheVariableAndNamesItInErrors() {
        UsernameLimit limit = UsernameLimit.charactersFromEnvironment(Map.of("MAX_USERNAME_LENGTH", "16"),
                "MAX_USERNAME_LENGTH", 32, 128, "MySQL 5.7+ allows 32");

        assertThat(limit.max()).isEqualTo(16);
        assertThatThrownBy(() -> limit.check("abcdefghijk_clone")).hasMessageContaining("MAX_USERNAME_LENGTH=16");
    }

    @Test
    void usernameLimit_fromEnvironment_whenUnset_usesTheDefault() {
        UsernameLimit limit = UsernameLimit.charactersFromEnvironment(Map.of("MAX_USERNAME_LENGTH", " "),
                "MAX_USERNAME_LENGTH", 32, 128, "MySQL 5.7+ allows 32");

        assertThat(limit.max()).isEqualTo(32);
        assertThatThrownBy(() -> limit.check("a".repeat(33))).hasMessageContaining("set MAX_USERNAME_LENGTH");
    }

    @Test
    void usernameLimit_fromEnvironment_whenInvalid_namesTheVariable() {
        assertThatThrownBy(() -> UsernameLimit.charactersFromEnvironment(Map.of("MAX_USERNAME_LENGTH", "0"),
                "MAX_USERNAME_LENGTH", 32, 128, "MySQL"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("MAX_USERNAME_LENGTH")
                .hasMessageContaining("from 1 to 128");
    }
}
