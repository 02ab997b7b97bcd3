package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The scrubber on hostile text: long words, control characters and line breaks from a secret's values. */
class SecretScrubberHostileInputTest {

    @Test
    void printable_escapesControlCharactersAndLineSeparators_andKeepsEverythingElse() {
        assertThat(SecretScrubber.printable("user 'a\nb\r\u0000\u001b[2J\t\u2028\u2029\u0085' é ü 𝄞"))
                .isEqualTo("user 'a\\u000ab\\u000d\\u0000\\u001b[2J\\u0009\\u2028\\u2029\\u0085' é ü 𝄞");
        assertThat(SecretScrubber.printable("plain text")).isEqualTo("plain text");
        assertThat(SecretScrubber.printable(null)).isNull();
    }

    @Test
    void scrub_removesUrlCredentials_alsoAfterAVeryLongWord() {
        SecretScrubber scrubber = new SecretScrubber();
        String longWord = "x".repeat(100_000);

        String scrubbed = scrubber.scrub("user '" + longWord + "' at jdbc:mysql://app:hunter2@db:3306/app");

        assertThat(scrubbed).endsWith("' at jdbc:mysql://" + SecretScrubber.REDACTED + "@db:3306/app")
                .doesNotContain("hunter2");
    }

    @Test
    void scrub_ofAnException_leavesNoLineBreakInAnyMessage() {
        SecretScrubber scrubber = new SecretScrubber();
        Throwable failure = new IllegalStateException("setSecret for user 'a\n{\"level\":\"INFO\"}'",
                new SQLException("Access denied for user 'a\r\n'@'host'"));

        Throwable copy = scrubber.scrub(failure);

        assertThat(copy.getMessage()).doesNotContain("\n").contains("\\u000a");
        assertThat(copy.getCause().getMessage()).doesNotContain("\r").doesNotContain("\n");
    }
}
