package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test validator itself: it accepts the specification's example and catches each broken rule. */
class EmbeddedMetricFormatTest {
    // The example document of the specification, and the time it was written.
    private static final String EXAMPLE = "{\"_aws\":{\"Timestamp\":1574109732004,\"CloudWatchMetrics\":[{"
            + "\"Namespace\":\"lambda-function-metrics\",\"Dimensions\":[[\"functionVersion\"]],"
            + "\"Metrics\":[{\"Name\":\"time\",\"Unit\":\"Milliseconds\"}]}]},"
            + "\"functionVersion\":\"$LATEST\",\"time\":100,\"requestId\":\"989ffbf8-9ace-4817-a57c-e4dd734019ee\"}";
    private static final Instant THEN = Instant.ofEpochMilli(1574109732004L);

    @Test
    void problems_whenTheSpecificationsExample_none() {
        assertThat(EmbeddedMetricFormat.problems(EXAMPLE, THEN)).isEmpty();
    }

    @Test
    void problems_whenTheTimestampIsYearsOld_namesIt() {
        assertThat(EmbeddedMetricFormat.problems(EXAMPLE)).singleElement().asString().contains("_aws.Timestamp");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no _aws                    | \"_aws\":{                     | \"_awz\":{                            | _aws is missing",
        "no Timestamp               | \"Timestamp\":1574109732004,   | ``                                   | _aws.Timestamp is missing",
        "fractional Timestamp       | 1574109732004,                 | 1574109732004.5,                     | not an integer",
        "no CloudWatchMetrics       | \"CloudWatchMetrics\":         | \"Metrics\":                         | CloudWatchMetrics is missing",
        "no Namespace               | \"Namespace\":\"lambda-function-metrics\", | ``                       | Namespace is missing",
        "reserved namespace         | lambda-function-metrics        | AWS/Lambda                           | not a CloudWatch namespace",
        "namespace with a newline   | lambda-function-metrics        | a\\nb                                | not a CloudWatch namespace",
        "extra directive member     | \"Namespace\":                 | \"Extra\":1,\"Namespace\":           | member 'Extra'",
        "no dimension set           | [[\"functionVersion\"]]        | []                                   | no DimensionSet",
        "dimension without target   | [[\"functionVersion\"]]        | [[\"stage\"]]                        | dimension 'stage' has no string member",
        "numeric dimension value    | \"functionVersion\":\"$LATEST\" | \"functionVersion\":1                | dimension 'functionVersion' has no string member",
        "non-ASCII dimension value  | \"functionVersion\":\"$LATEST\" | \"functionVersion\":\"\u00e9t\u00e9\" | not a CloudWatch dimension value",
        "blank dimension value      | \"functionVersion\":\"$LATEST\" | \"functionVersion\":\"  \"           | not a CloudWatch dimension value",
        "control character in value | \"functionVersion\":\"$LATEST\" | \"functionVersion\":\"a\\u0007\"     | not a CloudWatch dimension value",
        "dimension name with colon  | functionVersion                | :fv                                  | not a CloudWatch dimension name",
        "dimension named twice      | [[\"functionVersion\"]]        | [[\"functionVersion\",\"functionVersion\"]] | twice",
        "metric without target      | \"time\":100,                  | ``                                   | metric 'time' has no member",
        "string metric value        | \"time\":100                   | \"time\":\"100\"                     | metric 'time' is not a number",
        "non-numeric array value    | \"time\":100                   | \"time\":[1,\"2\"]                   | not a number",
        "unknown unit               | \"Milliseconds\"               | \"Millis\"                           | not a CloudWatch unit",
        "bad storage resolution     | \"Unit\":\"Milliseconds\"      | \"Unit\":\"Milliseconds\",\"StorageResolution\":5 | neither 1 nor 60",
        "extra definition member    | \"Unit\":\"Milliseconds\"      | \"Unit\":\"Milliseconds\",\"Value\":1 | member 'Value'",
        "trailing data              | e4dd734019ee\"}                | e4dd734019ee\"} {}                   | content after the JSON object",
        "two lines                  | ,\"requestId\"                 | ,<LF>\"requestId\"                   | more than one line",
    })
    void problems_whenARuleIsBroken_namesIt(String rule, String from, String to, String problem) {
        String broken = EXAMPLE.replace(from, unescape(to));
        assertThat(broken).as("the replacement of [%s] by [%s] applied", from, to).isNotEqualTo(EXAMPLE);

        assertThat(EmbeddedMetricFormat.problems(broken, THEN)).as(rule).anyMatch(p -> p.contains(problem));
    }

    @Test
    void problems_whenMoreThanThirtyDimensions_namesIt() {
        String keys = IntStream.range(0, 31).mapToObj(i -> "\"d" + i + "\"").collect(Collectors.joining(","));
        String members = IntStream.range(0, 31).mapToObj(i -> "\"d" + i + "\":\"v\"").collect(Collectors.joining(","));
        String broken = EXAMPLE.replace("[[\"functionVersion\"]]", "[[" + keys + "]]")
                .replace("\"time\":100", "\"time\":100," + members);

        assertThat(EmbeddedMetricFormat.problems(broken, THEN)).singleElement().asString()
                .contains("more than 30 dimension keys");
    }

    @Test
    void problems_whenMoreThanAHundredMetrics_namesIt() {
        String definitions = IntStream.range(0, 101).mapToObj(i -> "{\"Name\":\"m" + i + "\"}")
                .collect(Collectors.joining(","));
        String members = IntStream.range(0, 101).mapToObj(i -> "\"m" + i + "\":1").collect(Collectors.joining(","));
        String broken = EXAMPLE.replace("{\"Name\":\"time\",\"Unit\":\"Milliseconds\"}", definitions)
                .replace("\"time\":100", "\"time\":100," + members);

        assertThat(EmbeddedMetricFormat.problems(broken, THEN)).singleElement().asString()
                .contains("more than 100 MetricDefinitions");
    }

    @Test
    void problems_whenAMetricHasMoreThanAHundredValues_namesIt() {
        String values = IntStream.range(0, 101).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String broken = EXAMPLE.replace("\"time\":100", "\"time\":[" + values + "]");

        assertThat(EmbeddedMetricFormat.problems(broken, THEN)).singleElement().asString()
                .contains("more than 100 values");
    }

    /** {@code <LF>} stands for a raw line feed between members (a {@code \\n} in a cell stays a JSON escape). */
    private static String unescape(String cell) {
        return cell.replace("<LF>", "\n");
    }
}
