package dev.rotation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Assertions on secret values whose failure messages never show the values: test output is output
 * too, and must hold no password.
 */
public final class SecretAssertions {
    private SecretAssertions() {
    }

    public static void assertSameSecret(String what, String actual, String expected) {
        assertThat(Objects.equals(actual, expected)).as("%s: values differ (not shown)", what).isTrue();
    }

    public static void assertDifferentSecret(String what, String actual, String other) {
        assertThat(Objects.equals(actual, other)).as("%s: values are equal (not shown)", what).isFalse();
    }

    public static void assertNoValue(String what, Optional<String> value) {
        assertThat(value.isPresent()).as("%s has a value (not shown)", what).isFalse();
    }

    /** Fails naming the text and the secret by position only. */
    public static void assertNoSecretIn(String what, String text, Collection<String> secrets) {
        if (text == null) {
            return;
        }
        int index = 0;
        for (String secret : secrets) {
            assertThat(text.contains(secret)).as("%s contains secret #%d (not shown)", what, index++).isFalse();
        }
    }
}
