package dev.rotation.local.secretsmanager;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who sent a request and whether they may do it. Without an {@link IamConfig} ({@link #OFF}) every
 * request is served, signed or not, as before; the access key named in a signature is only recorded.
 * With one, a request must carry a valid Signature Version 4 signature by one of its keys (the server
 * computes the signature again from the canonical request, as AWS does, and compares), and its action
 * on the secret is evaluated by {@link PolicyEvaluator} against the key's principal's identity policies
 * and the secret's resource policy. Refusals use the service's error codes: MissingAuthenticationToken,
 * IncompleteSignature, UnrecognizedClient, InvalidSignature (signature mismatch, expired, wrong scope)
 * and AccessDeniedException.
 */
final class AccessControl {
    static final AccessControl OFF = new AccessControl(null, Clock.systemUTC());

    /** "The signature is valid for five minutes" after the request's X-Amz-Date (and as long before). */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request,\\s*"
                    + "SignedHeaders=([a-z0-9;._-]+),\\s*Signature=([0-9a-f]{64})");
    private static final Pattern ANY_CREDENTIAL = Pattern.compile(
            "Credential=([A-Za-z0-9]{1,128})/(?:\\d{8}/([a-z0-9-]{1,128})/)?");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The authenticated (or, without access control, self-declared) caller, and the region its signature is
     * scoped to (null when unsigned; {@link #inRegion} sets the region the request is answered in).
     */
    record Caller(String accessKeyId, IamConfig.Key key, String region) {
        Caller inRegion(String answered) {
            return new Caller(accessKeyId, key, answered);
        }

        String principalArn() {
            return key == null ? null : key.principalArn();
        }

        AuditEvent.Caller forAudit(String accountId) {
            if (key == null) {
                return AuditEvent.Caller.anonymous(accessKeyId, accountId);
            }
            String arn = key.principalArn();
            String type = arn.endsWith(":root") ? "Root" : arn.contains(":role/") ? "AssumedRole" : "IAMUser";
            return new AuditEvent.Caller(type, arn, accessKeyId, accountId);
        }
    }

    private final IamConfig config;
    private final Clock wallClock;

    AccessControl(IamConfig config, Clock wallClock) {
        this.config = config;
        this.wallClock = wallClock;
    }

    boolean enabled() {
        return config != null;
    }

    /** Checks the request's signature (with access control on); returns the caller. */
    Caller authenticate(ApiServer.Request request) {
        String authorization = request.header("authorization");
        if (config == null) {
            String key = null;
            String region = null;
            if (authorization != null) {
                Matcher m = ANY_CREDENTIAL.matcher(authorization);
                if (m.find()) {
                    key = m.group(1);
                    region = m.group(2);
                }
            }
            return new Caller(key, null, region);
        }
        if (authorization == null) {
            throw ServiceException.of("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(authorization.strip());
        if (!m.matches()) {
            throw ServiceException.of("IncompleteSignatureException", "The Authorization header is not a complete "
                    + "AWS4-HMAC-SHA256 signature (Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., "
                    + "Signature=...).");
        }
        String keyId = m.group(1);
        String scopeDate = m.group(2);
        String region = m.group(3);
        String service = m.group(4);
        String signedHeaders = m.group(5);
        String signature = m.group(6);
        IamConfig.Key key = config.keys().get(keyId);
        if (key == null) {
            throw ServiceException.of("UnrecognizedClientException", "The security token included in the request is "
                    + "invalid.");
        }
        if (!service.equals("secretsmanager")) {
            throw invalidSignature("Credential should be scoped to correct service: 'secretsmanager'.");
        }
        if (!SecretStore.isRegion(region)) {
            throw invalidSignature("Credential should be scoped to a valid region.");
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw ServiceException.of("IncompleteSignatureException", "The request has no X-Amz-Date header.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw ServiceException.of("IncompleteSignatureException", "X-Amz-Date must be yyyyMMdd'T'HHmmss'Z'.");
        }
        if (!amzDate.startsWith(scopeDate)) {
            throw invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                    + "from HTTP: '" + scopeDate + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        Instant now = wallClock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW)) || signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host")) {
            throw ServiceException.of("IncompleteSignatureException", "SignedHeaders must include host.");
        }
        String expected = signature(request, signed, signedHeaders, amzDate, scopeDate, region, service,
                key.secretAccessKey());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw invalidSignature("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for "
                    + "details.");
        }
        return new Caller(keyId, key, region);
    }

    private static ServiceException invalidSignature(String message) {
        return ServiceException.of("InvalidSignatureException", message);
    }

    /** Signature Version 4 of {@code request}, computed as the signer computed it. */
    static String signature(ApiServer.Request request, List<String> signed, String signedHeaders, String amzDate,
                            String scopeDate, String region, String service, String secretAccessKey) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalUri(request.path())).append('\n');
        canonical.append(canonicalQuery(request.query())).append('\n');
        for (String name : signed) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            List<String> trimmed = new ArrayList<>();
            for (String v : values) {
                trimmed.add(v.strip().replaceAll(" +", " "));
            }
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(request.body())));
        String scope = scopeDate + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scopeDate);
        k = hmac(k, region);
        k = hmac(k, service);
        k = hmac(k, "aws4_request");
        return hex(hmac(k, toSign));
    }

    /** Non-S3 services encode each path segment again (the client already encoded it once). */
    private static String canonicalUri(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        return String.join("/", java.util.Arrays.stream(path.split("/", -1)).map(AccessControl::encode).toList());
    }

    private static String canonicalQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(encode(name), x -> new ArrayList<>()).add(encode(value));
        }
        List<String> parts = new ArrayList<>();
        params.forEach((n, vs) -> vs.stream().sorted().forEach(v -> parts.add(n + "=" + v)));
        return String.join("&", parts);
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- authorization

    /**
     * Refuses with AccessDeniedException unless the caller may do {@code action} on {@code secret}
     * (null for actions without a resource, or a secret that does not exist: {@code requestedId} names
     * it then). {@code requestKeys} are the request's own condition keys (lower case).
     */
    void authorize(Caller caller, String action, SecretStore.AccessView secret, String requestedId,
                   Map<String, List<String>> requestKeys, String sourceIp, Instant now, String accountId) {
        if (config == null) {
            return;
        }
        String resource = secret != null ? secret.arn()
                : requestedId == null ? "*"
                : requestedId.startsWith("arn:") ? requestedId
                : "arn:aws:secretsmanager:" + caller.region() + ":" + accountId + ":secret:" + requestedId;
        Map<String, List<String>> context = new LinkedHashMap<>(requestKeys);
        String principal = caller.principalArn();
        context.put("aws:principalarn", List.of(principal));
        context.put("aws:principalaccount", List.of(accountId));
        context.put("aws:principaltype", List.of(principal.endsWith(":root") ? "Account"
                : principal.contains(":role/") ? "AssumedRole" : "User"));
        if (principal.contains(":user/")) {
            context.put("aws:username", List.of(principal.substring(principal.lastIndexOf('/') + 1)));
        }
        context.put("aws:sourceip", List.of(sourceIp));
        context.put("aws:securetransport", List.of("false"));
        context.put("aws:requestedregion", List.of(caller.region()));
        context.put("aws:currenttime", List.of(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        context.put("aws:epochtime", List.of(String.valueOf(now.getEpochSecond())));
        if (secret != null) {
            context.put("secretsmanager:secretid", List.of(secret.arn()));
            secret.tags().forEach((k, v) -> {
                context.put("secretsmanager:resourcetag/" + k.toLowerCase(Locale.ROOT), List.of(v));
                context.put("aws:resourcetag/" + k.toLowerCase(Locale.ROOT), List.of(v));
            });
            if (secret.rotationLambdaArn() != null) {
                context.put("secretsmanager:resource/allowrotationlambdaarn", List.of(secret.rotationLambdaArn()));
            }
        } else if (requestedId != null) {
            context.put("secretsmanager:secretid", List.of(requestedId));
        }
        IamPolicy resourcePolicy = null;
        if (secret != null && secret.resourcePolicy() != null) {
            try {
                resourcePolicy = IamPolicy.parse(secret.resourcePolicy());
            } catch (IamPolicy.Invalid e) {
                throw new IllegalStateException("a stored resource policy no longer parses: " + e.getMessage());
            }
        }
        PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(caller.key().policies(), resourcePolicy,
                new PolicyEvaluator.Request(action, resource, principal, accountId, context));
        if (d == PolicyEvaluator.Decision.ALLOW) {
            return;
        }
        String shown = requestedId != null ? requestedId : resource;
        String why = switch (d) {
            case DENIED_BY_IDENTITY_POLICY -> "with an explicit deny in an identity-based policy";
            case DENIED_BY_RESOURCE_POLICY -> "with an explicit deny in a resource-based policy";
            default -> "because no identity-based policy allows the " + action + " action";
        };
        throw ServiceException.of("AccessDeniedException", "User: " + principal + " is not authorized to perform: "
                + action + " on resource: " + Validation.printable(shown) + " " + why);
    }
}
