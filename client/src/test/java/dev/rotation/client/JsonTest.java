package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parseObject_readsEveryValueKindAndEscape() {
        Map<String, Object> json = Json.parseObject(" {\"s\":\"a\\u00e9\\n\\/\\t\",\"n\":-1.5e2,\"t\":true,\"f\":false,"
                + "\"z\":null,\"a\":[1,{\"k\":[]}],\"o\":{}} ");

        assertThat(json.get("s")).isEqualTo("aé\n/\t");
        assertThat(json.get("n")).isEqualTo(new BigDecimal("-1.5e2"));
        assertThat(json).containsEntry("t", true).containsEntry("f", false).containsEntry("z", null);
        assertThat((List<?>) json.get("a")).hasSize(2);
        assertThat((Map<?, ?>) json.get("o")).isEmpty();
    }

    @Test
    void parseObject_rejectsMalformedTextNamingOnlyThePosition() {
        for (String bad : new String[] {"", "[]", "{\"a\":1} x", "{\"a\":\"open", "{\"a\":tru}", "{a:1}",
                "{\"a\":\"\\x\"}", "{\"a\":1,}", "{\"a\":\"\u0001\"}"}) {
            assertThatThrownBy(() -> Json.parseObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed JSON at character");
        }
        assertThatThrownBy(() -> Json.parseObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .hasMessageContaining("nested too deeply");
    }
}
