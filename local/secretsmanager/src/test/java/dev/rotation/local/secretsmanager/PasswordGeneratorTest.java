package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {
    private final PasswordGenerator generator = new PasswordGenerator();

    private static PasswordGenerator.Options options(Long length, String exclude, Boolean noNumbers,
                                                     Boolean noPunctuation, Boolean space, Boolean requireEach) {
        return new PasswordGenerator.Options(length, exclude, noNumbers, noPunctuation, null, null, space, requireEach);
    }

    @Test
    void generate_defaults_is32CharactersWithEveryType() {
        String p = generator.generate(options(null, null, null, null, null, null));
        assertThat(p).hasSize(32);
        assertThat(p).containsPattern("[a-z]").containsPattern("[A-Z]").containsPattern("[0-9]")
                .containsPattern("[^A-Za-z0-9]");
        assertThat(p).doesNotContain(" ");
    }

    @RepeatedTest(20)
    void generate_excludedCharactersNeverAppear() {
        String p = generator.generate(options(64L, "/@\"'\\:", null, null, null, true));
        assertThat(p).doesNotContain("/", "@", "\"", "'", "\\", ":").hasSize(64);
    }

    @Test
    void generate_excludeNumbersAndPunctuation_givesLettersOnly() {
        assertThat(generator.generate(options(50L, null, true, true, null, null))).matches("[A-Za-z]{50}");
    }

    @Test
    void generate_includeSpaceAndRequireEach_includesASpace() {
        assertThat(generator.generate(options(5L, null, null, null, true, true))).contains(" ");
    }

    @Test
    void generate_invalidOptions_throwInvalidParameter() {
        assertThatThrownBy(() -> generator.generate(options(0L, null, null, null, null, null)))
                .hasMessageContaining("between 1 and 4096");
        assertThatThrownBy(() -> generator.generate(options(4097L, null, null, null, null, null)))
                .hasMessageContaining("between 1 and 4096");
        assertThatThrownBy(() -> generator.generate(options(3L, null, null, null, null, true)))
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> generator.generate(new PasswordGenerator.Options(8L, null, true, true, true, true,
                false, null))).hasMessageContaining("exclude every character");
    }
}
