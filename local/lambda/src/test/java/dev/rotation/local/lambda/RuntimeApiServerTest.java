package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Runtime API over real HTTP, as the runtime interface client calls it. */
class RuntimeApiServerTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:f";

    private final RuntimeApiServer api = new RuntimeApiServer();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        api.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String errorType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (errorType != null) {
            request.header("Lambda-Runtime-Function-Error-Type", errorType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path);
    }

    private static RuntimeApiServer.Invocation invocation(String requestId, String payload) {
        return new RuntimeApiServer.Invocation(requestId, payload.getBytes(StandardCharsets.UTF_8), 1_234L, ARN,
                "Root=1-0-0;Sampled=0");
    }

    @Test
    void next_afterSubmit_handsOutTheEventWithLambdasHeaders() throws Exception {
        long before = System.nanoTime();
        api.submit(invocation("req-1", "{\"Step\":\"createSecret\"}"));

        HttpResponse<String> next = get("invocation/next");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"Step\":\"createSecret\"}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).hasValue("req-1");
        assertThat(next.headers().firstValue("Lambda-Runtime-Deadline-Ms")).hasValue("1234");
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).hasValue(ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id")).hasValue("Root=1-0-0;Sampled=0");
        assertThat(api.firstPoll()).isCompleted();
        assertThat(api.firstPoll().join()).isGreaterThanOrEqualTo(before);
        assertThat(api.restorePoll()).isNotDone();
    }

    @Test
    void response_completesTheAnswerWithBodyAndTime() throws Exception {
        CompletableFuture<RuntimeApiServer.Answer> answer = api.submit(invocation("req-2", "{}"));
        get("invocation/next");
        long before = System.nanoTime();

        HttpResponse<String> posted = post("invocation/req-2/response", "\"done\"", null);

        assertThat(posted.statusCode()).isEqualTo(202);
        RuntimeApiServer.Answer a = answer.get(10, TimeUnit.SECONDS);
        assertThat(a.success()).isTrue();
        assertThat(a.bodyText()).isEqualTo("\"done\"");
        assertThat(a.errorType()).isNull();
        assertThat(a.receivedNanos()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void error_completesTheAnswerAsFailedWithItsErrorType() throws Exception {
        CompletableFuture<RuntimeApiServer.Answer> answer = api.submit(invocation("req-3", "{}"));
        get("invocation/next");

        post("invocation/req-3/error", "{\"errorType\":\"E\",\"errorMessage\":\"m\"}", "Runtime.Unknown");

        RuntimeApiServer.Answer a = answer.get(10, TimeUnit.SECONDS);
        assertThat(a.success()).isFalse();
        assertThat(a.errorType()).isEqualTo("Runtime.Unknown");
        assertThat(a.bodyText()).contains("\"errorMessage\":\"m\"");
    }

    @Test
    void response_forAnEventNotHandedOut_isRefusedAndCompletesNothing() throws Exception {
        CompletableFuture<RuntimeApiServer.Answer> answer = api.submit(invocation("req-4", "{}"));

        HttpResponse<String> early = post("invocation/req-4/response", "{}", null);
        HttpResponse<String> unknown = post("invocation/no-such-id/response", "{}", null);

        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("InvalidRequestID");
        assertThat(answer).isNotDone();
    }

    @Test
    void restoreNext_underSnapStart_answersAtOnceAndRecordsTheSnapshotPoint() throws Exception {
        long before = System.nanoTime();

        HttpResponse<String> restore = get("restore/next");

        assertThat(restore.statusCode()).isEqualTo(200);
        assertThat(api.restorePoll()).isCompleted();
        assertThat(api.restorePoll().join()).isGreaterThanOrEqualTo(before);
        assertThat(api.firstPoll()).isNotDone();
    }

    @Test
    void initError_andRestoreError_completeInitError() throws Exception {
        HttpResponse<String> posted = post("init/error", "{\"errorType\":\"Init\"}", "Runtime.BadFunctionCode");

        assertThat(posted.statusCode()).isEqualTo(202);
        assertThat(api.initError()).isCompleted();
        assertThat(api.initError().join().errorType()).isEqualTo("Runtime.BadFunctionCode");
        assertThat(api.initError().join().bodyText()).isEqualTo("{\"errorType\":\"Init\"}");

        try (RuntimeApiServer restoring = new RuntimeApiServer()) {
            HttpResponse<String> restoreError = http.send(HttpRequest.newBuilder(URI.create("http://"
                            + restoring.address() + "/2018-06-01/runtime/restore/error"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(restoreError.statusCode()).isEqualTo(202);
            assertThat(restoring.initError()).isCompleted();
        }
    }

    @Test
    void unknownPath_is404() throws Exception {
        assertThat(get("invocation/sideways").statusCode()).isEqualTo(404);
        HttpResponse<String> outside = http.send(HttpRequest.newBuilder(URI.create("http://" + api.address() + "/"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outside.statusCode()).isEqualTo(404);
    }

    @Test
    void address_isOnLoopback() {
        assertThat(api.address()).startsWith("127.");
    }

    @Test
    void loading_turnsOffNaglesAlgorithmForTheJdkHttpServer() {
        // Without it every answer waits for the client's delayed ACK (~40 ms).
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }
}
