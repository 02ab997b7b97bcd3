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

    @Test
    void scrub_replacesTheUrlEncodedForms() {
        String secret = "Pw/with spaces&=?+%é";
        scrubber.add(secret);
        String form = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);

        assertThat(scrubber.scrub("a=" + form + "&b=1")).isEqualTo("a=<redacted>&b=1");
        assertThat(scrubber.scrub("/x/" + form.replace("+", "%20") + "/y")).isEqualTo("/x/<redacted>/y");
        assertThat(scrubber.scrub("q=" + form.toLowerCase(java.util.Locale.ROOT).replace("pw", "Pw")))
                .isEqualTo("q=<redacted>");
    }

    @Test
    void scrub_replacesTheJsonEscapedForms() {
        scrubber.add("a/b\"c<d>é");

        assertThat(scrubber.scrub("{\"p\":\"a\\/b\\\"c<d>é\"}")).isEqualTo("{\"p\":\"<redacted>\"}");
        assertThat(scrubber.scrub("{\"p\":\"a\\u002fb\\u0022c\\u003cd\\u003e\\u00e9\"}"))
                .isEqualTo("{\"p\":\"<redacted>\"}");
        assertThat(scrubber.scrub("{\"p\":\"a\\u002Fb\\u0022c\\u003Cd\\u003E\\u00E9\"}"))
                .isEqualTo("{\"p\":\"<redacted>\"}");
    }

    @Test
    void scrub_replacesTheBase64Forms_wholeAndInsideALongerEncodedText() {
        String secret = "Sup3r-S3cret-Passw0rd";
        scrubber.add(secret);
        java.util.Base64.Encoder standard = java.util.Base64.getEncoder();
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(scrubber.scrub("value " + standard.encodeToString(bytes))).isEqualTo("value <redacted>");
        assertThat(scrubber.scrub(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
                .isEqualTo("<redacted>");
        for (String prefix : java.util.List.of("app:", "ap:", "a:")) {
            String header = "Authorization: Basic " + standard.encodeToString(
                    (prefix + secret + "!").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String scrubbed = scrubber.scrub(header);
            // 21 bytes are 28 base64 characters; all but the two or three shared with the neighbours go.
            assertThat(scrubbed).as("behind %s", prefix).contains("<redacted>");
            assertThat(header.length() - scrubbed.length()).as("characters removed behind %s", prefix)
                    .isGreaterThanOrEqualTo(25 - "<redacted>".length());
        }
    }

    @Test
    void scrub_leavesShortBase64LookalikesOfShortSecretsAlone() {
        scrubber.add("abc");

        assertThat(scrubber.scrub("YWJj is short")).isEqualTo("YWJj is short");
    }

    @Test
    void scrub_dropsTheStatementExcerptOfASqlSyntaxError_whichMayHoldACutOffPassword() {
        scrubber.add("Xy9!partialAndMore");

        assertThat(scrubber.scrub("You have an error in your SQL syntax; check the manual near 'Xy9!partial' at line 1"
                + " [SQLState 42000]")).isEqualTo("You have an error in your SQL syntax; check the manual near <redacted>"
                        + " at line 1 [SQLState 42000]");
    }
}
