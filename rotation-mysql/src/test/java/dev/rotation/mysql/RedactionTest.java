package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void scrub_removesPlainPassword() {
        assertThat(Redaction.scrub("Access denied: hunter2Secret! was rejected", "hunter2Secret!"))
                .isEqualTo("Access denied: <redacted> was rejected")
                .doesNotContain("hunter2Secret");
    }

    @Test
    void scrub_removesBackslashEscapedAndQuoteDoubledForms() {
        String password = "a'b\\c\"d";
        assertThat(Redaction.scrub("x a\\'b\\\\c\\\"d y", password)).isEqualTo("x <redacted> y");
        assertThat(Redaction.scrub("x a''b\\c\"d y", password)).isEqualTo("x <redacted> y");
    }

    @Test
    void scrub_dropsTheStatementExcerptOfSyntaxErrors() {
        String message = "You have an error in your SQL syntax; check the manual near 'Xy9!partial' at line 1";
        assertThat(Redaction.scrub(message, "Xy9!partialAndMore"))
                .isEqualTo("You have an error in your SQL syntax; check the manual near <redacted>");
    }

    @Test
    void scrub_whenNoMessage_saysSo() {
        assertThat(Redaction.scrub(null, "pw")).isEqualTo("(no message)");
    }
}
