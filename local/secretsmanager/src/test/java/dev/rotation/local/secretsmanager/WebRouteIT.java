package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Builder.webRoute: the prefix and the paths below it go to the route, everything else to the API, both
 * behind the same Host check; the route's in-process calls are the API's own (audited, and under access
 * control signed with the key it names and judged by that key's policies).
 */
class WebRouteIT {
    private static final WebRoute.Response OK = new WebRoute.Response(200, Map.of("Content-Type", "text/plain"),
            "route".getBytes(StandardCharsets.UTF_8));

    private static RawHttp.Answer get(URI endpoint, String host, String path) throws Exception {
        try (RawHttp http = new RawHttp(endpoint)) {
            return http.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void thePrefixAndBelowGoToTheRoute_everythingElseToTheApi_behindTheHostCheck() throws Exception {
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .webRoute("/console", (request, api) -> OK).build().start()) {
            URI e = server.endpoint();
            String host = "127.0.0.1:" + e.getPort();
            assertThat(get(e, host, "/console").body()).isEqualTo("route");
            assertThat(get(e, host, "/console/secret?id=x").body()).isEqualTo("route");
            RawHttp.Answer other = get(e, host, "/consoles");
            assertThat(other.status()).isEqualTo(400);
            assertThat(other.body()).contains("UnknownOperationException");
            RawHttp.Answer rebound = get(e, "rebound.example:" + e.getPort(), "/console");
            assertThat(rebound.status()).isEqualTo(403);
            assertThat(rebound.body()).contains("Host header").doesNotContain("route");
            try (RawHttp http = new RawHttp(e)) {
                assertThat(http.send(RawHttp.request(host, "ListSecrets", "{}")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void theRoutesCalls_areTheApisOwn_auditedAndUnderAccessControlSignedWithItsKey() throws Exception {
        List<AuditEvent> audit = new CopyOnWriteArrayList<>();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        String allowList = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"secretsmanager:ListSecrets\",\"Resource\":\"*\"}]}";
        IamConfig iam = IamConfig.builder().key("AKIALIST000000000001", "list-secret", "arn:aws:iam::123456789012:user/lister",
                List.of(allowList)).build();
        WebRoute route = (request, api) -> {
            assertThat(api.accessControl()).isTrue();
            assertThat(api.validKey("AKIALIST000000000001", "list-secret")).isTrue();
            assertThat(api.validKey("AKIALIST000000000001", "guess")).isFalse();
            assertThat(api.validKey("AKIANOBODY0000000001", "list-secret")).isFalse();
            assertThat(api.principalOf("AKIALIST000000000001")).isEqualTo("arn:aws:iam::123456789012:user/lister");
            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            statuses.add(api.call("ListSecrets", empty, "AKIALIST000000000001", request).status());
            statuses.add(api.call("CreateSecret", "{\"Name\":\"x\",\"SecretString\":\"v\"}".getBytes(StandardCharsets.UTF_8),
                    "AKIALIST000000000001", request).status());
            statuses.add(api.call("ListSecrets", empty, null, request).status());
            return OK;
        };
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).iam(iam)
                .auditListener(audit::add).webRoute("/console", route).build().start()) {
            URI e = server.endpoint();
            assertThat(get(e, "127.0.0.1:" + e.getPort(), "/console").body()).isEqualTo("route");
        }
        assertThat(statuses).containsExactly(200, 400, 400);
        assertThat(audit).extracting(AuditEvent::eventName, a -> a.errorCode().orElse("-"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ListSecrets", "-"),
                        org.assertj.core.groups.Tuple.tuple("CreateSecret", "AccessDeniedException"),
                        org.assertj.core.groups.Tuple.tuple("ListSecrets", "MissingAuthenticationTokenException"));
        assertThat(audit.get(0).principalArn()).contains("arn:aws:iam::123456789012:user/lister");
        assertThat(audit.get(0).json().path("userAgent").asText()).startsWith("local-console");
    }

    @Test
    void aPrefixIsSlashAndAName() {
        for (String bad : List.of("", "/", "console", "/a/b", "/Console")) {
            assertThatThrownBy(() -> LocalSecretsManager.builder().webRoute(bad, (r, a) -> OK))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/name");
        }
    }
}
