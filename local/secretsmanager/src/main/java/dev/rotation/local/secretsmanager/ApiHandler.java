package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side of AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target: secretsmanager.<Op>}.
 * Any SigV4 signature is accepted without checking, and so are unsigned requests. Errors go out as
 * {@code {"__type", "message"}} with HTTP 400 (500 for InternalServiceError; the transport's own
 * refusals carry their status); every response carries {@code x-amzn-RequestId}.
 */
final class ApiHandler implements ApiServer.Handler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final String TARGET_PREFIX = "secretsmanager.";

    private final Operations operations;
    private final ObjectMapper json;

    ApiHandler(Operations operations, ObjectMapper json) {
        this.operations = operations;
        this.json = json;
    }

    @Override
    public ApiServer.Response handle(ApiServer.Request request) {
        String requestId = UUID.randomUUID().toString();
        try {
            return response(200, null, dispatch(request), requestId);
        } catch (ServiceException e) {
            return refuse(e, requestId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
            return refuse(ServiceException.internal("An internal error occurred; request id " + requestId + "."),
                    requestId);
        }
    }

    @Override
    public ApiServer.Response refuse(ServiceException e) {
        return refuse(e, UUID.randomUUID().toString());
    }

    private ApiServer.Response refuse(ServiceException e, String requestId) {
        ObjectNode o = json.createObjectNode();
        o.put("__type", e.type());
        o.put("message", e.getMessage());
        return response(e.status(), e.type(), o, requestId);
    }

    private ApiServer.Response response(int status, String errorType, JsonNode body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        try {
            return new ApiServer.Response(status, headers, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode dispatch(ApiServer.Request request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            throw ServiceException.of("UnknownOperationException", "Only POST requests are supported; this is the "
                    + "AWS JSON 1.1 Secrets Manager API.");
        }
        String target = request.header("x-amz-target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw ServiceException.of("UnknownOperationException", "The X-Amz-Target header must be "
                    + "secretsmanager.<Operation>, got " + (target == null ? "none" : "'" + Validation.printable(target)
                    + "'") + ".");
        }
        String operation = target.substring(TARGET_PREFIX.length());
        JsonNode body = parse(request.body());
        return operations.handle(operation, body);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the body, which may hold a secret value: give the position only.
            JsonLocation at = e.getLocation();
            throw ServiceException.serialization("The request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw ServiceException.serialization("The request body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw ServiceException.serialization("The request body must be a JSON object.");
        }
        return node;
    }
}
