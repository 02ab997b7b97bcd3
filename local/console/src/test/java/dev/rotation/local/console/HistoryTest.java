package dev.rotation.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.AuditTrail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels' history and the rotations, read back from an audit log as the server writes it (after a
 * restart): one successful rotation that moves AWSCURRENT and AWSPREVIOUS, one that fails twice at setSecret.
 */
class HistoryTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf";
    private static final String V1 = "11111111-1111-1111-1111-111111111111";
    private static final String V2 = "22222222-2222-2222-2222-222222222222";
    private static final String V3 = "33333333-3333-3333-3333-333333333333";
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    private static String at(int second) {
        return T0.plusSeconds(second).toString();
    }

    private static String call(int second, String name, String request, String response) {
        return "{\"eventTime\":\"" + at(second) + "\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\""
                + name + "\",\"requestParameters\":" + request + ",\"responseElements\":" + response
                + ",\"resources\":[{\"type\":\"AWS::SecretsManager::Secret\",\"ARN\":\"" + ARN + "\"}],"
                + "\"eventType\":\"AwsApiCall\"}";
    }

    private static String service(int second, String name, String version) {
        return "{\"eventTime\":\"" + at(second) + "\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\""
                + name + "\",\"additionalEventData\":{\"SecretId\":\"" + ARN + "\",\"VersionId\":\"" + version + "\"},"
                + "\"eventType\":\"AwsServiceEvent\"}";
    }

    private static String invoke(int second, String step, String version, boolean failed) {
        return "{\"eventTime\":\"" + at(second) + "\",\"eventSource\":\"lambda.amazonaws.com\",\"eventName\":\"Invoke\","
                + "\"additionalEventData\":{\"SecretId\":\"" + ARN + "\",\"Step\":\"" + step + "\",\"ClientRequestToken\":\""
                + version + "\"" + (failed ? ",\"FunctionError\":\"Unhandled\"" : "") + "},\"eventType\":\"AwsApiCall\"}";
    }

    private History history() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(call(0, "CreateSecret", "{\"name\":\"app/db\"}", "{\"arn\":\"" + ARN + "\",\"versionId\":\"" + V1 + "\"}"));
        lines.add(call(60, "RotateSecret", "{\"secretId\":\"app/db\"}", "{\"arn\":\"" + ARN + "\",\"versionId\":\"" + V2 + "\"}"));
        lines.add(service(60, "RotationStarted", V2));
        lines.add(call(61, "PutSecretValue", "{\"secretId\":\"" + ARN + "\",\"versionStages\":[\"AWSPENDING\"]}",
                "{\"arn\":\"" + ARN + "\",\"versionId\":\"" + V2 + "\"}"));
        lines.add(invoke(60, "createSecret", V2, false));
        lines.add(invoke(62, "setSecret", V2, false));
        lines.add(invoke(63, "testSecret", V2, false));
        lines.add(call(64, "UpdateSecretVersionStage", "{\"secretId\":\"" + ARN + "\",\"versionStage\":\"AWSCURRENT\","
                + "\"moveToVersionId\":\"" + V2 + "\",\"removeFromVersionId\":\"" + V1 + "\"}", "{\"arn\":\"" + ARN + "\"}"));
        lines.add(invoke(64, "finishSecret", V2, false));
        lines.add(service(65, "RotationSucceeded", V2));
        // A refused call changes nothing.
        lines.add("{\"eventTime\":\"" + at(70) + "\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":"
                + "\"UpdateSecretVersionStage\",\"errorCode\":\"InvalidParameterException\",\"requestParameters\":"
                + "{\"versionStage\":\"AWSCURRENT\",\"moveToVersionId\":\"" + V1 + "\"},\"resources\":[{\"type\":"
                + "\"AWS::SecretsManager::Secret\",\"ARN\":\"" + ARN + "\"}],\"eventType\":\"AwsApiCall\"}");
        lines.add(service(120, "RotationStarted", V3));
        lines.add(invoke(120, "createSecret", V3, false));
        lines.add(invoke(121, "setSecret", V3, true));
        lines.add(invoke(122, "createSecret", V3, false));
        lines.add(invoke(123, "setSecret", V3, true));
        lines.add(service(124, "RotationFailed", V3));
        Path log = dir.resolve("audit.log");
        Files.write(log, lines);
        History h = new History();
        h.load(AuditTrail.read(log));
        return h;
    }

    @Test
    void spans_showWhichVersionHeldEachLabelWhen() throws Exception {
        assertThat(history().spans(ARN)).containsExactlyInAnyOrder(
                new History.Span(V1, "AWSCURRENT", T0, T0.plusSeconds(64)),
                new History.Span(V2, "AWSCURRENT", T0.plusSeconds(64), null),
                new History.Span(V1, "AWSPREVIOUS", T0.plusSeconds(64), null));
        assertThat(history().spans("arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZabc")).isEmpty();
    }

    @Test
    void rotations_newestFirst_withTheirStepsAttemptsAndOutcome() throws Exception {
        List<History.Rotation> rotations = history().rotations(ARN);
        assertThat(rotations).extracting(r -> r.version).containsExactly(V3, V2);
        History.Rotation failed = rotations.get(0);
        assertThat(failed.outcome).isEqualTo("FAILED");
        assertThat(failed.attempts).isEqualTo(2);
        assertThat(failed.steps).extracting(History.Step::step, History.Step::failed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("createSecret", false), org.assertj.core.groups.Tuple.tuple("setSecret", true),
                org.assertj.core.groups.Tuple.tuple("createSecret", false), org.assertj.core.groups.Tuple.tuple("setSecret", true));
        History.Rotation ok = rotations.get(1);
        assertThat(ok.outcome).isEqualTo("SUCCEEDED");
        assertThat(ok.attempts).isEqualTo(1);
        assertThat(ok.steps).extracting(History.Step::step).containsExactly("createSecret", "setSecret", "testSecret",
                "finishSecret");
        assertThat(ok.steps).allSatisfy(s -> assertThat(s.duration()).as("not known to the ms from the file").isNull());
        assertThat(ok.ended).isEqualTo(T0.plusSeconds(65));
    }

    @Test
    void timeline_drawsTheSpansThePendingVersionAndGreysDeprecatedOnes() throws Exception {
        String v0 = "00000000-0000-0000-0000-000000000000";
        String svg = Timeline.svg(List.of(
                new Timeline.Version(V3, List.of("AWSPENDING"), T0.plusSeconds(120)),
                new Timeline.Version(V2, List.of("AWSCURRENT"), T0.plusSeconds(60)),
                new Timeline.Version(V1, List.of("AWSPREVIOUS"), T0),
                new Timeline.Version(v0, List.of(), T0.minusSeconds(60))), history().spans(ARN), T0.plusSeconds(200));
        assertThat(svg).contains("data-label=\"AWSCURRENT\" data-version=\"" + V2 + "\" data-open=\"true\"",
                "data-label=\"AWSCURRENT\" data-version=\"" + V1 + "\" data-open=\"false\"",
                "data-label=\"AWSPREVIOUS\" data-version=\"" + V1 + "\" data-open=\"true\"",
                "data-label=\"AWSPENDING\" data-version=\"" + V3 + "\" data-open=\"true\"",
                "<g class=\"row deprecated\" data-version=\"" + v0 + "\">",
                "<g class=\"row\" data-version=\"" + V2 + "\">");
        assertThat(svg.indexOf(V3)).as("newest on top").isLessThan(svg.indexOf(V2));
    }

    @Test
    void timeline_withoutATrail_startsTheLabelsHeldNowAtTheirVersionsCreation() {
        String svg = Timeline.svg(List.of(new Timeline.Version(V2, List.of("AWSCURRENT"), T0.plusSeconds(60)),
                new Timeline.Version(V1, List.of("AWSPREVIOUS"), T0)), List.of(), T0.plusSeconds(100));
        assertThat(svg).contains("data-label=\"AWSCURRENT\" data-version=\"" + V2 + "\" data-open=\"true\"",
                "data-label=\"AWSPREVIOUS\" data-version=\"" + V1 + "\" data-open=\"true\"");
    }
}
