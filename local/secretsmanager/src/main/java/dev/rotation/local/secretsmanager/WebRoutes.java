package dev.rotation.local.secretsmanager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends requests under a {@link WebRoute}'s prefix to it and every other one to the API; gives the
 * route the API in process, through {@link ApiHandler} itself (so authentication, policies and the
 * audit trail are those of any call), signing with the route's access key when access control is on.
 */
final class WebRoutes implements ApiServer.Handler, WebRoute.Api {
    private static final System.Logger LOG = System.getLogger(WebRoutes.class.getName());
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> SIGNED = List.of("content-type", "host", "x-amz-date", "x-amz-target");

    private final ApiHandler api;
    private final String prefix;
    private final WebRoute route;
    private final IamConfig iam;
    private final String region;

    WebRoutes(ApiHandler api, String prefix, WebRoute route, IamConfig iam, String region) {
        this.api = api;
        this.prefix = prefix;
        this.route = route;
        this.iam = iam;
        this.region = region;
    }

    @Override
    public ApiServer.Response handle(ApiServer.Request request) {
        String path = request.path();
        if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
            return api.handle(request);
        }
        WebRoute.Response r;
        try {
            r = route.handle(new WebRoute.Request(request.method(), path, request.query(), request.headers(),
                    request.body(), request.remoteAddress()), this);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the web route " + prefix + " failed on " + request.method() + " "
                    + Validation.printable(path), e);
            r = new WebRoute.Response(500, Map.of("Content-Type", "text/plain; charset=utf-8"),
                    "Internal error; see the server's log.".getBytes(StandardCharsets.UTF_8));
        }
        return new ApiServer.Response(r.status(), r.headers(), r.body());
    }

    @Override
    public ApiServer.Response refuse(ServiceException e) {
        return api.refuse(e);
    }

    @Override
    public WebRoute.Result call(String operation, byte[] body, String accessKeyId, WebRoute.Request on) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of(on.header("host")));
        headers.put("content-type", List.of("application/x-amz-json-1.1"));
        headers.put("x-amz-target", List.of("secretsmanager." + operation));
        String agent = on.header("user-agent");
        headers.put("user-agent", List.of("local-console" + (agent == null ? "" : " " + agent)));
        IamConfig.Key key = iam == null || accessKeyId == null ? null : iam.keys().get(accessKeyId);
        if (key != null) {
            Instant now = Instant.now();
            String amzDate = AMZ_DATE.format(now);
            headers.put("x-amz-date", List.of(amzDate));
            ApiServer.Request unsigned = new ApiServer.Request("POST", "/", null, headers, body, on.remoteAddress());
            String scopeDate = amzDate.substring(0, 8);
            String signedHeaders = String.join(";", SIGNED);
            String signature = AccessControl.signature(unsigned, SIGNED, signedHeaders, amzDate, scopeDate, region,
                    "secretsmanager", key.secretAccessKey());
            headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scopeDate + "/"
                    + region + "/secretsmanager/aws4_request, SignedHeaders=" + signedHeaders + ", Signature="
                    + signature));
        }
        ApiServer.Response r = api.handle(new ApiServer.Request("POST", "/", null, headers, body, on.remoteAddress()));
        return new WebRoute.Result(r.status(), r.body());
    }

    @Override
    public boolean accessControl() {
        return iam != null;
    }

    @Override
    public boolean validKey(String accessKeyId, String secretAccessKey) {
        IamConfig.Key key = iam == null || accessKeyId == null ? null : iam.keys().get(accessKeyId);
        // Compared in constant time whether or not the key exists.
        byte[] expected = (key == null ? "\0" : key.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        byte[] given = (secretAccessKey == null ? "" : secretAccessKey).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given) && key != null;
    }

    @Override
    public String principalOf(String accessKeyId) {
        IamConfig.Key key = iam == null || accessKeyId == null ? null : iam.keys().get(accessKeyId);
        return key == null ? null : key.principalArn();
    }
}
