package dev.rotation.bench;

import dev.rotation.local.lambda.LambdaLaunch;
import dev.rotation.local.lambda.RuntimeApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment: a child JVM running the function under the official runtime interface
 * client, as Lambda's Java runtimes start it — the client on the system classpath with a class-data
 * archive of what the runtime loads (Lambda's runtime.jsa), the deployment package extracted into
 * LAMBDA_TASK_ROOT and loaded by the client's own class loader, the serial GC, Lambda's other JVM
 * options, and the function's JAVA_TOOL_OPTIONS from template.yaml. Not emulated: the Log4j hot-patch
 * agent Lambda's java17 and java21 runtimes also load (-javaagent, not published where this machine
 * can fetch it), which makes a real cold start a little slower.
 */
final class FunctionProcess implements AutoCloseable {
    /** The clock ticks of /proc/PID/stat's CPU times (USER_HZ: 100 on Linux, on every architecture). */
    private static final double MS_PER_TICK = 10.0;

    /**
     * A managed runtime's JVM as the bench runs it: the java command and the options that runtime adds
     * to every start beyond {@link LambdaLaunch#javaCommand()}'s.
     *
     * @param label   for the report, e.g. "zip, java21 command line"
     * @param java    the java binary
     * @param runtime the template's Runtime value it stands for
     * @param options e.g. java25's -XX:TieredStopAtLevel=1
     */
    record Jvm(String label, Path java, String runtime, List<String> options) {
        /** The JDK running the bench, as java21's command line. */
        static Jvm java21() {
            return new Jvm("zip, java21 command line", Path.of(System.getProperty("java.home"), "bin", "java"), "java21",
                    List.of());
        }

        /** {@code java25}: tiered compilation stops at level 1 by default there (C1 only). */
        static Jvm java25(Path java) {
            return new Jvm("zip, java25 command line", java, "java25", List.of("-XX:TieredStopAtLevel=1"));
        }

        /** Major version of the JDK, from its release file; -1 if unknown. */
        int feature() {
            return Jdks.feature(java.getParent().getParent());
        }
    }

    private final RuntimeApiServer api;
    private final String functionArn;
    private final Process process;
    private final long launchedNanos;

    private volatile double cpuAtSnapshot = -1;

    private FunctionProcess(RuntimeApiServer api, String functionArn, Process process, long launchedNanos) {
        this.api = api;
        this.functionArn = functionArn;
        this.process = process;
        this.launchedNanos = launchedNanos;
        // The JVM waits for the answer to restore/next: its CPU time then is init's and priming's.
        api.restorePoll().thenRun(() -> cpuAtSnapshot = cpuMillis());
    }

    /** CPU time of the JVM (all threads) when it asked to be restored (SnapStart emulation), in ms; -1 if it did not. */
    double cpuAtSnapshot() {
        return cpuAtSnapshot;
    }

    /**
     * Starts the JVM; returns at once (the init phase runs while the first event waits).
     *
     * @param extraJvmOptions e.g. class-load logging for a counting run
     */
    static FunctionProcess launch(Jvm jvm, Functions.Function function, Map<String, String> environment, Path runtimeLib,
            Path log, List<String> extraJvmOptions) {
        return launch(jvm, function, environment, runtimeLib, log, extraJvmOptions,
                runtimeArchive(jvm, runtimeLib, log.getParent()));
    }

    private static FunctionProcess launch(Jvm jvm, Functions.Function function, Map<String, String> environment,
            Path runtimeLib, Path log, List<String> extraJvmOptions, List<String> classDataSharing) {
        List<String> command = jvm(jvm, function);
        command.addAll(classDataSharing);
        // The runtime client otherwise extracts its JNI library to the fixed /tmp/.libaws-lambda-jni.so
        // at every start: concurrent JVMs on one machine (never in Lambda) overwrite each other's copy.
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + nativeLibrary(runtimeLib, log.getParent()));
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(runtimeLib.resolve("*").toString());
        command.add(LambdaLaunch.RUNTIME_CLIENT_MAIN);
        command.add(function.handler());
        Map<String, String> env = new LinkedHashMap<>(environment(jvm, function, runtimeLib));
        env.putAll(environment);
        return start(function, command, env, log);
    }

    /**
     * The container image, emulated: {@code image/lambda-java} — the script the Dockerfiles make the
     * image's ENTRYPOINT — started as the image starts it, with this machine's JDK 25 for the image's
     * /var/lang/bin/java, the bench's copy of the runtime client for /var/runtime/lib and {@code
     * image.taskRoot()} (lib/ holding the deployment jar, and the AOT cache that {@link #train} made)
     * for /var/task. The JVM sees MemorySize as its memory and uses the JNI library extracted once,
     * through JAVA_TOOL_OPTIONS (after the template's own).
     */
    static FunctionProcess launchImage(Image image, Functions.Function function, Map<String, String> environment,
            Path log, List<String> extraJvmOptions) {
        Map<String, String> env = new LinkedHashMap<>(image.environment(function, log.getParent(), extraJvmOptions));
        env.putAll(environment);
        return start(function, List.of("sh", image.script().toString(), function.handler()), env, log);
    }

    /**
     * The image build's training run, emulated: {@code image/lambda-java train <Handler>} with the
     * image's environment (no Runtime API: the training answers itself); writes the AOT cache.
     *
     * @throws IllegalStateException if the training failed or wrote no cache
     */
    static void train(Image image, Functions.Function function, Path log) {
        Map<String, String> env = new LinkedHashMap<>(image.environment(function, log.getParent(), List.of()));
        // As in the image build: no JAVA_TOOL_OPTIONS but the JNI library's path (see launch), and a
        // free port for the Runtime API the training serves its runtime client.
        env.put("JAVA_TOOL_OPTIONS", "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + nativeLibrary(image.runtimeDir().resolve("lib"), log.getParent()));
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            env.put("LAMBDA_TRAINING_PORT", Integer.toString(free.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder("sh", image.script().toString(), "train", function.handler());
        builder.directory(image.taskRoot(function).toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = builder.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("the training run of " + function.name() + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (!Files.isRegularFile(image.cache(function))) {
            throw new IllegalStateException("the training run wrote no AOT cache " + image.cache(function) + "; see " + log);
        }
    }

    /**
     * The emulated image's directories and JVM.
     *
     * @param script     image/lambda-java
     * @param java       a JDK 25's java (the base image's major version)
     * @param runtimeDir stands for /var/runtime: lib/ is the bench's runtime client
     * @param imagesDir  one task root per function under it, standing for /var/task
     */
    record Image(Path script, Path java, Path runtimeDir, Path imagesDir) {
        Path taskRoot(Functions.Function function) {
            return imagesDir.resolve(function.name());
        }

        Path cache(Functions.Function function) {
            return taskRoot(function).resolve("function.aot");
        }

        /** Lays out the task root (lib/ with the deployment jar) and the runtime directory. */
        void prepare(Functions.Function function, Path runtimeLib) {
            try {
                Files.createDirectories(taskRoot(function).resolve("lib"));
                Files.copy(function.jar(), taskRoot(function).resolve("lib").resolve(function.jar().getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                if (!Files.exists(runtimeDir.resolve("lib"))) {
                    Files.createDirectories(runtimeDir);
                    Files.createSymbolicLink(runtimeDir.resolve("lib"), runtimeLib);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lay out the emulated image", e);
            }
        }

        Map<String, String> environment(Functions.Function function, Path logs, List<String> extraJvmOptions) {
            Functions.Function inImage = new Functions.Function(function.name(), function.jar(), function.handler(),
                    taskRoot(function), function.memoryMb(), function.environment(), function.target());
            Map<String, String> env = new LinkedHashMap<>(FunctionProcess.environment(
                    new Jvm("image", java, "java25", List.of()), inImage, runtimeDir));
            env.put("LAMBDA_JAVA", java.toString());
            List<String> toolOptions = new ArrayList<>();
            String template = env.get("JAVA_TOOL_OPTIONS");
            if (template != null && !template.isBlank()) {
                toolOptions.add(template.strip());
            }
            toolOptions.add("-XX:MaxRAM=" + function.memoryMb() + "m");
            toolOptions.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                    + nativeLibrary(runtimeDir.resolve("lib"), logs));
            toolOptions.addAll(extraJvmOptions);
            env.put("JAVA_TOOL_OPTIONS", String.join(" ", toolOptions));
            return env;
        }
    }

    private static FunctionProcess start(Functions.Function function, List<String> command, Map<String, String> environment,
            Path log) {
        RuntimeApiServer api = new RuntimeApiServer();
        String functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + function.name();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The client loads the handler from its working directory, which is /var/task on Lambda.
        builder.directory(Path.of(environment.get("LAMBDA_TASK_ROOT")).toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment);
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long launched = System.nanoTime();
        try {
            return new FunctionProcess(api, functionArn, builder.start(), launched);
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The java command with Lambda's JVM options (class-data sharing apart), and {@code -XX:MaxRAM}:
     * the JVM in Lambda sees MemorySize as the machine's memory, and its ergonomics (initial heap,
     * young generation) follow from that, not from this machine's RAM.
     */
    static List<String> jvm(Jvm jvm, Functions.Function function) {
        List<String> command = lambda(jvm, function).javaCommand();
        command.set(0, jvm.java().toString());
        command.addAll(1, jvm.options());
        command.add("-XX:MaxRAM=" + function.memoryMb() + "m");
        return command;
    }

    /** The environment Lambda gives an on-demand execution environment (the Runtime API address apart). */
    static Map<String, String> environment(Jvm jvm, Functions.Function function, Path runtimeLib) {
        Map<String, String> env = lambda(jvm, function).environment(runtimeLib, "us-east-1", "bench",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret-key");
        env.put("AWS_SESSION_TOKEN", "bench-session-token");
        env.putAll(function.environment());
        return env;
    }

    private static LambdaLaunch lambda(Jvm jvm, Functions.Function function) {
        return new LambdaLaunch(function.name(), function.handler(), jvm.runtime(), function.memoryMb(),
                function.taskRoot());
    }

    /**
     * Lambda starts its Java runtimes with {@code -Xshare:on -XX:SharedArchiveFile=runtime.jsa}: the
     * JDK's and the runtime client's classes come from a class-data archive, the function's from its
     * package. This makes the same kind of archive once per bench run: the runtime client runs {@link
     * TrainingHandler}, a function that does nothing, for one event, and the JVM archives at exit the
     * classes it loaded from the JDK and the runtime's jars (classes the client's loader reads from
     * the task directory cannot be archived). Returns the JVM options that use it.
     *
     * @throws IllegalStateException if the JVM wrote no archive
     */
    static synchronized List<String> runtimeArchive(Jvm jvm, Path runtimeLib, Path logs) {
        Path archive = logs.resolve("runtime-" + jvm.runtime() + ".jsa");
        if (!Files.isRegularFile(archive)) {
            createRuntimeArchive(jvm, runtimeLib, logs, archive);
        }
        return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive);
    }

    private static void createRuntimeArchive(Jvm jvm, Path runtimeLib, Path logs, Path archive) {
        String handler = "dev.rotation.bench.TrainingHandler";
        Path taskRoot = benchClass(logs.resolve("task-training"), handler);
        Functions.Function training = new Functions.Function("runtime-training", null, handler, taskRoot, 512, Map.of(),
                null);
        Path log = logs.resolve("runtime-training-" + jvm.runtime() + ".log");
        try (FunctionProcess process = launch(jvm, training, Map.of(), runtimeLib, log,
                List.of("-XX:ArchiveClassesAtExit=" + archive), List.of("-Xshare:auto"))) {
            RuntimeApiServer.Answer result = process.invoke("{}");
            if (!result.success()) {
                throw new IllegalStateException("the training function failed: " + result.bodyText() + "; see " + log);
            }
        }
        // close() stopped the JVM with SIGTERM; the archive is written on the way out.
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the JVM wrote no class-data archive " + archive + "; see " + log);
        }
    }

    /**
     * Writes one of the bench's classes into {@code dir} (a class directory) and returns {@code dir}.
     * By name: loading the class here would need the Lambda interfaces, which only the runtime has.
     */
    static Path benchClass(Path dir, String className) {
        String classFile = className.replace('.', '/') + ".class";
        try (var in = FunctionProcess.class.getClassLoader().getResourceAsStream(classFile)) {
            Path target = dir.resolve(classFile);
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + className, e);
        }
    }

    /** The runtime client's JNI library for this machine, extracted once into {@code dir}. */
    static synchronized Path nativeLibrary(Path runtimeLib, Path dir) {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64";
        Path target = dir.resolve("libaws-lambda-jni.linux-" + arch + ".so");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (var stream = Files.newDirectoryStream(runtimeLib, "aws-lambda-java-runtime-interface-client-*.jar")) {
            for (Path jar : stream) {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                    var entry = zip.getEntry("jni/" + target.getFileName());
                    if (entry != null) {
                        try (var in = zip.getInputStream(entry)) {
                            Files.copy(in, target);
                        }
                        return target;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the runtime client's JNI library", e);
        }
        throw new IllegalStateException("no JNI library for linux-" + arch + " in the runtime interface client jar");
    }

    long launchedNanos() {
        return launchedNanos;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time of the JVM so far, all its threads (user + system), in ms; -1 if unknown. */
    double cpuMillis() {
        return cpuMillis(process.pid());
    }

    /** CPU time of process {@code pid} so far, all its threads, from /proc/PID/stat; -1 if unknown. */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command name (which may hold spaces) in parentheses: field 3 onwards; utime and
            // stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Sends one event and waits for the function's answer. */
    RuntimeApiServer.Answer invoke(String eventJson) {
        var result = api.submit(new RuntimeApiServer.Invocation(UUID.randomUUID().toString(),
                eventJson.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 30_000, functionArn,
                "Root=1-00000000-000000000000000000000000;Sampled=0"));
        try {
            // A JVM that cannot start (a bad option, say) fails the run at once, not after the timeout.
            CompletableFuture.anyOf(result, api.initError(), process.onExit()).get(60, TimeUnit.SECONDS);
            if (!result.isDone() && api.initError().isDone()) {
                throw new IllegalStateException("the function's initialisation failed (pid " + process.pid() + "): "
                        + api.initError().join().bodyText() + "; see its log");
            }
            if (!result.isDone()) {
                throw new IllegalStateException("the function's JVM exited with status " + process.exitValue()
                        + " before answering (pid " + process.pid() + "); see its log");
            }
            return result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the function did not answer within 60 s (pid " + process.pid() + ")", e);
        }
    }

    /** Nanoseconds from launch to the runtime's first request for an event (Lambda's Init Duration). */
    long initNanos() {
        return api.firstPoll().getNow(launchedNanos) - launchedNanos;
    }

    /** Nanoseconds from launch to the snapshot point (SnapStart emulation), or -1 if there was none. */
    long snapshotNanos() {
        return api.restorePoll().isDone() ? api.restorePoll().join() - launchedNanos : -1;
    }

    /** Nanoseconds from the snapshot point to the end of an invocation (SnapStart emulation). */
    long afterRestoreNanos(RuntimeApiServer.Answer result) {
        return result.receivedNanos() - api.restorePoll().join();
    }

    /** Peak resident set size of the JVM so far (VmHWM), in kB; -1 if unknown. */
    long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            api.close();
        }
    }
}
