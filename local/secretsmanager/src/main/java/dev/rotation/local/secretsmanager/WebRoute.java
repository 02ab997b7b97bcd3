package dev.rotation.local.secretsmanager;

import java.util.List;
import java.util.Map;

/**
 * A web application served by the local Secrets Manager beside its API, on the same address, under a
 * path prefix ({@link LocalSecretsManager.Builder#webRoute(String, WebRoute)}). Its requests pass the
 * same transport checks as API requests before they reach it (loopback bind, Host header, size and
 * time limits); everything else, sessions and cross-site checks included, is its own. It reads and acts
 * through {@link Api}: the server's own operations, authenticated, authorized and audited as any call.
 */
public interface WebRoute {
    /** Answers one complete request whose path is the prefix or below it; runs on a worker thread, never throws. */
    Response handle(Request request, Api api);

    /**
     * One request as it arrived: headers by lower-case name. toString() leaves out the body, which may
     * hold a secret value.
     */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                   String remoteAddress) {
        /** The first value of a header, by lower-case name, or null. */
        public String header(String lowerCaseName) {
            List<String> values = headers.get(lowerCaseName);
            return values == null ? null : values.get(0);
        }

        @Override
        public String toString() {
            return "Request[" + method + " " + path + ", " + body.length + " bytes]";
        }
    }

    /** An answer; the server adds Content-Length, Date and Connection. toString() leaves out the body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }

    /** An API answer: the HTTP status and the AWS JSON 1.1 body ({@code __type} and {@code message} on errors). */
    record Result(int status, byte[] body) {
        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "Result[" + status + ", " + body.length + " bytes]";
        }
    }

    /** The server's API, called in process. */
    interface Api {
        /**
         * Runs {@code operation} (as in {@code X-Amz-Target: secretsmanager.<operation>}) with the JSON
         * body, as the request {@code on} would if it were that API call: from its address and user agent,
         * recorded in the audit trail. With access control, signed with {@code accessKeyId}'s key (its
         * principal's policies apply; null sends it unsigned, which is refused); without, unsigned.
         */
        Result call(String operation, byte[] body, String accessKeyId, Request on);

        /** True when the server checks signatures and policies ({@link LocalSecretsManager.Builder#iam}). */
        boolean accessControl();

        /** With access control: whether this access key id and secret access key are one of the server's keys. */
        boolean validKey(String accessKeyId, String secretAccessKey);

        /** The principal ARN of an access key the server knows, or null. */
        String principalOf(String accessKeyId);
    }
}
