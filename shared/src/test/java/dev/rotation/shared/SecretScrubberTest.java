package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
    private final SecretScrubber scrubber = new SecretScrubber();

    @Test
    void scrub_replacesKnownSecretsAndTheirEscapedForms() {
        scrubber.add("pa'ss\"w\\rd");

        assertThat(scrubber.scrub("raw pa'ss\"w\\rd, json pa'ss\\\"w\\\\rd, sql 'pa''ss\"w\\rd', mysql pa\\'ss\\\"w\\\\rd"))
                .isEqualTo("raw <redacted>, json <redacted>, sql '<redacted>', mysql <redacted>");
    }

    @Test
    void scrub_removesUrlCredentialsAndPasswordParameters() {
        assertThat(scrubber.scrub("jdbc:postgresql://app:hunter2@db:5432/app?password=hunter3&ssl=true"))
                .isEqualTo("jdbc:postgresql://<redacted>@db:5432/app?password=<redacted>&ssl=true");
        assertThat(scrubber.scrub("{\"username\":\"app\",\"password\":\"hu\\\"nter\"}"))
                .isEqualTo("{\"username\":\"app\",\"password\":\"<redacted>\"}");
    }

    @Test
    void scrub_replacesLongerSecretsFirst() {
        scrubber.add("abc");
        scrubber.add("abcdef");

        assertThat(scrubber.scrub("x abcdef y abc")).isEqualTo("x <redacted> y <redacted>");
    }

    @Test
    void scrub_exception_copiesChainWithCleanMessagesAndOriginalStack() {
        scrubber.add("T0p-Secret");
        SQLException root = new SQLException("bad password T0p-Secret");
        RuntimeException failure = new IllegalStateException("wrapped T0p-Secret", root);
        failure.addSuppressed(new RuntimeException("suppressed T0p-Secret"));

        Throwable copy = scrubber.scrub(failure);

        StringWriter trace = new StringWriter();
        copy.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("T0p-Secret")
                .contains("java.lang.IllegalStateException: wrapped <redacted>",
                        "java.sql.SQLException: bad password <redacted>", "suppressed <redacted>");
        assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace());
        assertThat(copy.getCause().getMessage()).isEqualTo("bad password <redacted>");
    }

    @Test
    void scrub_leavesOrdinaryTextAlone() {
        scrubber.add("T0p-Secret");

        assertThat(scrubber.scrub("Access denied for user 'app'@'10.0.0.1' (using password: YES)"))
                .isEqualTo("Access denied for user 'app'@'10.0.0.1' (using password: YES)");
        assertThat(scrubber.scrub((String) null)).isNull();
    }
}
