package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/**
 * The HTTP side of AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target: secretsmanager.<Op>}.
 * Any SigV4 signature is accepted without checking, and so are unsigned requests. Errors go out as
 * {@code {"__type", "message"}} with HTTP 400 (500 for InternalServiceError); every response
 * carries {@code x-amzn-RequestId}.
 */
final class ApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final String TARGET_PREFIX = "secretsmanager.";
    /** Big enough for a 64 KiB binary value in base64 plus the other members. */
    private static final int MAX_BODY = 1 << 20;

    private final Operations operations;
    private final ObjectMapper json;

    ApiHandler(Operations operations, ObjectMapper json) {
        this.operations = operations;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            int status = 200;
            JsonNode response;
            try {
                response = dispatch(exchange);
            } catch (ServiceException e) {
                status = e.status();
                response = error(e.type(), e.getMessage());
                exchange.getResponseHeaders().add("x-amzn-ErrorType", e.type());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
                status = 500;
                response = error("InternalServiceError", "An internal error occurred; request id " + requestId + ".");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "InternalServiceError");
            }
            byte[] bytes = json.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private JsonNode dispatch(HttpExchange exchange) throws IOException {
        if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
            drain(exchange.getRequestBody());
            throw ServiceException.of("UnknownOperationException", "Only POST requests are supported; this is the "
                    + "AWS JSON 1.1 Secrets Manager API.");
        }
        byte[] body = readBody(exchange.getRequestBody());
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw ServiceException.of("UnknownOperationException", "The X-Amz-Target header must be "
                    + "secretsmanager.<Operation>, got " + (target == null ? "none" : "'" + Validation.printable(target)
                    + "'") + ".");
        }
        String operation = target.substring(TARGET_PREFIX.length());
        JsonNode request = parse(body);
        return operations.handle(operation, request);
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

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            drain(in);
            throw ServiceException.serialization("The request body is larger than " + MAX_BODY + " bytes.");
        }
        return body;
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private ObjectNode error(String type, String message) {
        ObjectNode o = json.createObjectNode();
        o.put("__type", type);
        o.put("message", message);
        return o;
    }
}
