package dev.rotation.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A function that does nothing, run once under the runtime client to make the runtime's class-data
 * archive ({@link FunctionProcess#createRuntimeArchive}): what the archive holds is what the runtime
 * itself loads, not what a rotation function loads.
 */
public final class TrainingHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("null".getBytes(StandardCharsets.US_ASCII));
    }
}
