package dev.rotation.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A fresh JVM that calls a function's handler once, without the runtime client: the Java
 * counterpart of the bench's Python process (which has no runtime client either). Arguments: the
 * handler class and the event; prints "done" when the handler has returned.
 */
public final class DirectInvoke {
    private DirectInvoke() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        handler.handleRequest(new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null);
        System.out.println("done");
    }
}
