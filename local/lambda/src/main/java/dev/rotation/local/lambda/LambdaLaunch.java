package dev.rotation.local.lambda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Lambda's Java runtimes put on an execution environment's JVM command line and in its
 * environment, for the launchers that run the runtime interface client in a child JVM (the local
 * runtime's {@link ExecutionEnvironment} and the bench). Lambda's java17 command line, for reference:
 * {@code java -XX:MaxHeapSize=<85 % of MemorySize>k -XX:+UseSerialGC -Xshare:on
 * -XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa --add-opens=java.base/java.io=ALL-UNNAMED
 * -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac -Djava.net.preferIPv4Stack=true
 * -XX:+ErrorFileToStderr -Dcom...NativeClient.JNI=... -classpath /var/runtime/lib/... AWSLambda <handler>}.
 * The caller adds class-data sharing, the JNI library, the class path, the Runtime API address and
 * credentials.
 *
 * @param functionName the function's name
 * @param handler      the Handler string
 * @param runtime      e.g. {@code java21}
 * @param memoryMb     MemorySize
 * @param taskRoot     where the deployment package is unpacked (Lambda's /var/task)
 */
public record LambdaLaunch(String functionName, String handler, String runtime, int memoryMb, Path taskRoot) {
    /** The runtime interface client's main class; its argument is the Handler string. */
    public static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** {@code java} of the running JDK and Lambda's JVM options, class-data sharing apart. */
    public List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        // Points the org.crac API at the runtime client's CRaC implementation (SnapStart's hooks).
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:+ErrorFileToStderr");
        return command;
    }

    /** The variables Lambda sets for an on-demand execution environment, the Runtime API address and credentials apart. */
    public Map<String, String> environment(Path runtimeDir, String region, String logStream, String path) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", path);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("_HANDLER", handler);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        return env;
    }
}
