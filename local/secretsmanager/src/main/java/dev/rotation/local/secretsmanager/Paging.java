package dev.rotation.local.secretsmanager;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** MaxResults and the opaque NextToken of the List operations. */
final class Paging {
    private Paging() {
    }

    static int maxResults(Integer maxResults) {
        if (maxResults == null) {
            return 100;
        }
        if (maxResults < 1 || maxResults > 100) {
            throw ServiceException.invalidParameter("MaxResults must be between 1 and 100, got " + maxResults + ".");
        }
        return maxResults;
    }

    static int offset(String nextToken) {
        if (nextToken == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                int off = Integer.parseInt(decoded.substring(7));
                if (off >= 0) {
                    return off;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ServiceException.of("InvalidNextTokenException", "The NextToken value is not valid.");
    }

    static <T> List<T> page(List<T> all, int offset, int max) {
        return all.subList(Math.min(offset, all.size()), Math.min(offset + max, all.size()));
    }

    static String nextToken(int size, int offset, int max) {
        if (offset + max >= size) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + (offset + max)).getBytes(StandardCharsets.UTF_8));
    }
}
