package dev.rotation.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotation.local.lambda.RuntimeApiServer;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The benchmark: for each single-user function, cold starts (JVM launch to the end of the first
 * createSecret) alternating with a fresh Python/boto3 process making the same Secrets Manager calls,
 * warm step and rotation latency, peak RSS, classes loaded by a cold rotation, Secrets Manager requests
 * and database logins per rotation, and rotations per second through RotateSecret.
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests &amp;&amp; java -jar bench/target/bench.jar [--quick]
 * </pre>
 *
 * Options: {@code --quick} (one of everything: the CI smoke mode), {@code --runs N} cold starts per
 * side (default 9), {@code --warm N} measured warm rotations (default 20), {@code --secrets N} for the
 * throughput run (default 40), {@code --concurrency N} execution environments per function in the
 * throughput run (default 2), {@code --out FILE} (default bench/target/bench-results.md),
 * {@code --python PATH} (default /usr/bin/python3, Debian's python3-boto3), {@code --java25 PATH} (a JDK 25's
 * java for the java25 and image rows; default: the first JDK 25 or later under /usr/lib/jvm); for experiments,
 * {@code --function mysql|postgres}, {@code --jvm-option OPTION} (added to every function JVM),
 * {@code --cold-only} and {@code --kind zip-java21|zip-java25|image|snapstart|direct|python} (repeatable: only
 * those cold starts) and {@code --compare OPTION} (repeatable: one more kind in each turn for zip java21 and for
 * the image, with these JVM options, to measure an option against the same command line without it).
 */
public final class Bench {
    private static final String[] STEPS = {
        RotationStep.CREATE_SECRET, RotationStep.SET_SECRET, RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DIRECT_INVOKE = "dev.rotation.bench.DirectInvoke";

    private final Options options;
    private final Path repo;
    private final Path work;
    private final Path runtimeLib;
    private final Path pythonScript;
    private final FunctionProcess.Jvm java21 = FunctionProcess.Jvm.java21();
    private FunctionProcess.Jvm java25;
    private FunctionProcess.Image image;
    private final Router router = new Router();
    private final String runId = randomAlnum(5).toLowerCase(Locale.ROOT);
    private final AtomicInteger userCounter = new AtomicInteger();
    private LocalSecretsManager server;
    private SecretsManagerClient client;

    private Bench(Options options) {
        this.options = options;
        this.repo = Path.of("").toAbsolutePath();
        this.work = repo.resolve("bench/target/bench-work");
        this.runtimeLib = benchJarDir().resolve("lambda-runtime");
        this.pythonScript = work.resolve("create_secret.py");
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = new Bench(options).run();
        System.exit(status);
    }

    private int run() throws Exception {
        if (!Files.isDirectory(runtimeLib)) {
            throw new IllegalStateException(runtimeLib + " is missing: build with ./mvnw -B -q -pl bench -am package -DskipTests");
        }
        deleteRecursively(work);
        Files.createDirectories(work.resolve("logs"));
        try (InputStream in = Bench.class.getResourceAsStream("create_secret.py")) {
            Files.write(pythonScript, in.readAllBytes());
        }
        String pythonVersion = checkPython();
        Path java25Binary = Jdks.java25(options.java25).orElseThrow(() -> new IllegalStateException("no JDK "
                + Jdks.IMAGE_FEATURE + " found (the container image's major version): pass --java25 PATH/bin/java"));
        java25 = FunctionProcess.Jvm.java25(java25Binary);
        image = new FunctionProcess.Image(repo.resolve("image/lambda-java"), java25Binary, work.resolve("image-runtime"),
                work.resolve("image-task"));
        List<Functions.Function> functions = Functions.load(repo, work);
        // A free port: the default 4566 may be taken by another local Secrets Manager on this machine.
        server = LocalSecretsManager.builder().port(0).rotationInvoker(router).maxRotationAttempts(1)
                .schedulerInterval(Duration.ZERO).build().start();
        client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
                .build();
        Map<String, Results> results = new LinkedHashMap<>();
        try {
            for (Functions.Function function : functions) {
                if (!options.functions.isEmpty() && !options.functions.contains(function.name())) {
                    continue;
                }
                TestDatabase db = function.target().database();
                log("== " + function.name() + " on " + db.describe());
                results.put(function.name(), measure(function, db));
            }
        } finally {
            client.close();
            server.close();
        }
        String report = Report.markdown(results, options, Functions.javaToolOptions(repo), pythonVersion,
                List.of(java21, java25), image);
        Files.createDirectories(options.out.toAbsolutePath().getParent());
        Files.writeString(options.out, report);
        System.out.println(report);
        System.out.println("Written to " + options.out);
        return 0;
    }

    // ---- one function ---------------------------------------------------------------------------

    private Results measure(Functions.Function function, TestDatabase db) throws Exception {
        Results r = new Results();
        r.jarBytes = Files.size(function.jar());
        String dbName = db.createDatabase("bench");
        String functionArn = "arn:aws:lambda:us-east-1:123456789012:function:bench-" + function.name();
        Map<String, String> env = Map.of("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString());
        // What the Python reference excludes from its passwords: the engine's own default exclusions.
        String exclude = function.target().engine().description().defaultExcludedCharacters();

        // The image build's training run, emulated (image/lambda-java train), then one start that must
        // take the cache (-XX:AOTMode=on fails otherwise) before any is timed.
        if (options.measures(Kind.IMAGE)) {
            image.prepare(function, runtimeLib);
            FunctionProcess.train(image, function, work.resolve("logs/" + function.name() + "-image-training.log"));
            try (FunctionProcess check = FunctionProcess.launchImage(image, function, env,
                    work.resolve("logs/" + function.name() + "-image-check.log"), List.of("-XX:AOTMode=on"))) {
                check.invoke("{}");
            }
        }

        try (FunctionProcess helper = launch(function, env, "helper", List.of())) {
            // Cold starts, each kind in turn, so drift on a shared machine hits every kind alike.
            for (int i = 0; i < options.runs; i++) {
                if (options.measures(Kind.ZIP_JAVA21)) {
                    coldJava(Kind.ZIP_JAVA21, function, db, dbName, functionArn, env, r, i);
                }
                if (!options.compare.isEmpty() && options.measures(Kind.ZIP_JAVA21)) {
                    coldJava(Kind.ZIP_JAVA21_COMPARED, function, db, dbName, functionArn, env, r, i);
                }
                if (options.measures(Kind.ZIP_JAVA25)) {
                    coldJava(Kind.ZIP_JAVA25, function, db, dbName, functionArn, env, r, i);
                }
                if (options.measures(Kind.IMAGE)) {
                    coldJava(Kind.IMAGE, function, db, dbName, functionArn, env, r, i);
                }
                if (!options.compare.isEmpty() && options.measures(Kind.IMAGE)) {
                    coldJava(Kind.IMAGE_COMPARED, function, db, dbName, functionArn, env, r, i);
                }
                if (options.measures(Kind.DIRECT)) {
                    coldDirect(function, db, dbName, functionArn, helper, env, r);
                }
                if (options.measures(Kind.PYTHON)) {
                    coldPython(function, db, dbName, functionArn, helper, exclude, r);
                }
                // SnapStart, emulated: the runtime runs the beforeCheckpoint hooks (priming) and asks to be
                // restored; we restore at once, in the same process. What a real restore costs is not measured.
                if (options.measures(Kind.SNAPSTART)) {
                    snapStart(function, db, dbName, functionArn, env, r, i);
                }
            }
            for (Kind kind : Kind.values()) {
                log(String.format(Locale.ROOT, "cold %s: wall %.0f ms, CPU %.0f ms (medians of %d)", kind.label,
                        r.wall(kind).median(), r.cpu(kind).median(), r.wall(kind).count()));
            }
            if (options.coldOnly) {
                return r;
            }

            // Classes loaded by a cold rotation.
            Path classLog = work.resolve("logs/" + function.name() + "-classes.log");
            try (FunctionProcess p = launch(function, env, "classes",
                    List.of("-Xlog:class+load=info:file=" + classLog))) {
                String arn = newSecret(db, dbName, function, db.host(), db.port());
                router.route(arn, step -> call(p, step));
                rotate(arn, functionArn);
            }
            try (Stream<String> lines = Files.lines(classLog)) {
                List<String> loaded = lines.filter(l -> l.contains("source:")).toList();
                r.classesTotal = loaded.size();
                String root = function.taskRoot().toString();
                r.classesFunction = (int) loaded.stream().filter(l -> l.contains(root)).count();
            }

            // Requests and logins per rotation, counted by proxies in front of the server and the database.
            try (CountingProxy smProxy = new CountingProxy(server.endpoint().getHost(), server.endpoint().getPort());
                    CountingProxy dbProxy = new CountingProxy(db.host(), db.port());
                    FunctionProcess p = launch(function,
                            Map.of("SECRETS_MANAGER_ENDPOINT", "http://127.0.0.1:" + smProxy.port()), "counting", List.of())) {
                String arn = newSecret(db, dbName, function, "127.0.0.1", dbProxy.port());
                router.route(arn, step -> call(p, step));
                smProxy.reset();
                dbProxy.reset();
                rotate(arn, functionArn);
                r.smRequests = smProxy.operations();
                r.dbLogins = dbProxy.connections();
            }

            // Warm: a few rotations to warm up, then per-step and whole-rotation latency.
            try (FunctionProcess p = launch(function, env, "warm", List.of())) {
                for (int i = 0; i < options.warmup + options.warm; i++) {
                    boolean measured = i >= options.warmup;
                    String arn = newSecret(db, dbName, function, db.host(), db.port());
                    long[] rotationStart = new long[1];
                    router.route(arn, step -> {
                        long start = System.nanoTime();
                        if (step.step().equals(RotationStep.CREATE_SECRET)) {
                            rotationStart[0] = start;
                        }
                        RuntimeApiServer.Answer result = call(p, step);
                        if (measured) {
                            r.warmStep.get(step.step()).add(ms(result.receivedNanos() - start));
                            if (step.step().equals(RotationStep.FINISH_SECRET)) {
                                r.warmRotation.add(ms(result.receivedNanos() - rotationStart[0]));
                            }
                        }
                    });
                    rotate(arn, functionArn);
                }
                r.warmRssKb = p.peakRssKb();
            }
            log(String.format(Locale.ROOT, "warm rotation %.1f ms (median of %d)", r.warmRotation.median(),
                    r.warmRotation.count()));

            // Throughput: many secrets rotated at once through RotateSecret, on a pool of warm environments.
            List<FunctionProcess> pool = new ArrayList<>();
            try {
                BlockingQueue<FunctionProcess> idle = new ArrayBlockingQueue<>(options.concurrency);
                for (int i = 0; i < options.concurrency; i++) {
                    FunctionProcess p = launch(function, env, "pool-" + i, List.of());
                    pool.add(p);
                    idle.add(p);
                }
                Router.Route pooled = step -> {
                    FunctionProcess p = idle.take();
                    try {
                        call(p, step);
                    } finally {
                        idle.add(p);
                    }
                };
                // Warm every environment of the pool before timing.
                List<String> warmups = new ArrayList<>();
                for (int i = 0; i < options.concurrency * 2; i++) {
                    warmups.add(newSecret(db, dbName, function, db.host(), db.port()));
                }
                rotateAll(warmups, functionArn, pooled);
                List<String> secrets = new ArrayList<>();
                for (int i = 0; i < options.secrets; i++) {
                    secrets.add(newSecret(db, dbName, function, db.host(), db.port()));
                }
                long start = System.nanoTime();
                rotateAll(secrets, functionArn, pooled);
                double seconds = (System.nanoTime() - start) / 1e9;
                r.rotationsPerSecond = secrets.size() / seconds;
                r.poolRssKb = pool.stream().mapToLong(FunctionProcess::peakRssKb).max().orElse(-1);
            } finally {
                pool.forEach(FunctionProcess::close);
            }
            log(String.format(Locale.ROOT, "throughput %.1f rotations/s", r.rotationsPerSecond));
        }
        return r;
    }

    private void coldJava(Kind kind, Functions.Function function, TestDatabase db, String dbName, String functionArn,
            Map<String, String> env, Results r, int run) throws Exception {
        String arn = newSecret(db, dbName, function, db.host(), db.port());
        FunctionProcess[] process = new FunctionProcess[1];
        try {
            router.route(arn, step -> {
                if (step.step().equals(RotationStep.CREATE_SECRET)) {
                    String label = kind.name().toLowerCase(Locale.ROOT) + "-" + run;
                    process[0] = switch (kind) {
                        case ZIP_JAVA21 -> launch(java21, function, env, label, List.of());
                        case ZIP_JAVA21_COMPARED -> launch(java21, function, env, label, options.compare);
                        case ZIP_JAVA25 -> launch(java25, function, env, label, List.of());
                        case IMAGE -> FunctionProcess.launchImage(image, function, env,
                                work.resolve("logs/" + function.name() + "-" + label + ".log"), options.jvmOptions);
                        case IMAGE_COMPARED -> FunctionProcess.launchImage(image, function, env,
                                work.resolve("logs/" + function.name() + "-" + label + ".log"),
                                java.util.stream.Stream.concat(options.jvmOptions.stream(), options.compare.stream()).toList());
                        default -> throw new IllegalArgumentException(kind.name());
                    };
                    RuntimeApiServer.Answer result = call(process[0], step);
                    r.cpu(kind).add(process[0].cpuMillis());
                    r.wall(kind).add(ms(result.receivedNanos() - process[0].launchedNanos()));
                    r.init(kind).add(ms(process[0].initNanos()));
                } else {
                    call(process[0], step);
                    if (step.step().equals(RotationStep.FINISH_SECRET)) {
                        r.rss(kind).add(process[0].peakRssKb());
                    }
                }
            });
            rotate(arn, functionArn);
        } finally {
            if (process[0] != null) {
                process[0].close();
            }
        }
    }

    private void snapStart(Functions.Function function, TestDatabase db, String dbName, String functionArn,
            Map<String, String> env, Results r, int run) throws Exception {
        String arn = newSecret(db, dbName, function, db.host(), db.port());
        Map<String, String> snapEnv = new java.util.HashMap<>(env);
        snapEnv.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        FunctionProcess[] process = new FunctionProcess[1];
        try {
            router.route(arn, step -> {
                if (step.step().equals(RotationStep.CREATE_SECRET)) {
                    process[0] = launch(function, snapEnv, "snapstart-" + run, List.of());
                    RuntimeApiServer.Answer result = call(process[0], step);
                    if (process[0].snapshotNanos() < 0) {
                        throw new IllegalStateException("the runtime never asked to be restored (restore/next)");
                    }
                    r.snapInit.add(ms(process[0].snapshotNanos()));
                    r.snapInitCpu.add(process[0].cpuAtSnapshot());
                    r.wall(Kind.SNAPSTART).add(ms(process[0].afterRestoreNanos(result)));
                    r.cpu(Kind.SNAPSTART).add(process[0].cpuMillis() - process[0].cpuAtSnapshot());
                } else {
                    call(process[0], step);
                }
            });
            rotate(arn, functionArn);
        } finally {
            if (process[0] != null) {
                process[0].close();
            }
        }
    }

    /**
     * A fresh JVM running the handler's createSecret once without the runtime client
     * ({@link DirectInvoke}): the same work as the Python process, measured the same way.
     */
    private void coldDirect(Functions.Function function, TestDatabase db, String dbName, String functionArn,
            FunctionProcess helper, Map<String, String> env, Results r) throws Exception {
        String arn = newSecret(db, dbName, function, db.host(), db.port());
        Path direct = FunctionProcess.benchClass(work.resolve("direct-invoke"), DIRECT_INVOKE);
        String handlerClass = function.handler().replaceFirst("::.*$", "");
        router.route(arn, step -> {
            if (!step.step().equals(RotationStep.CREATE_SECRET)) {
                call(helper, step);
                return;
            }
            List<String> command = FunctionProcess.jvm(java21, function);
            command.add("-Xshare:auto");
            command.add("-cp");
            command.add(function.taskRoot() + File.pathSeparator + direct);
            command.add(DIRECT_INVOKE);
            command.add(handlerClass);
            command.add(event(step));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.directory(function.taskRoot().toFile());
            builder.environment().clear();
            builder.environment().putAll(FunctionProcess.environment(java21, function, runtimeLib));
            builder.environment().putAll(env);
            double[] done = timeUntilDone(builder, function.name() + "-direct.log", "the createSecret without the runtime client");
            r.wall(Kind.DIRECT).add(done[0]);
            r.cpu(Kind.DIRECT).add(done[1]);
        });
        rotate(arn, functionArn);
    }

    /**
     * Starts {@code builder}'s process and returns the milliseconds until it printed "done" and its CPU
     * time (all threads) at that moment; fails if it never printed it.
     */
    private double[] timeUntilDone(ProcessBuilder builder, String logName, String what) throws Exception {
        Path log = work.resolve("logs/" + logName);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long start = System.nanoTime();
        Process p = builder.start();
        double elapsed = -1;
        double cpu = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.strip().equals("done")) {
                    elapsed = ms(System.nanoTime() - start);
                    cpu = FunctionProcess.cpuMillis(p.pid());
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || elapsed < 0) {
            throw new IllegalStateException(what + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "); see " + log);
        }
        return new double[] {elapsed, cpu};
    }

    private void coldPython(Functions.Function function, TestDatabase db, String dbName, String functionArn,
            FunctionProcess helper, String exclude, Results r) throws Exception {
        String arn = newSecret(db, dbName, function, db.host(), db.port());
        router.route(arn, step -> {
            if (!step.step().equals(RotationStep.CREATE_SECRET)) {
                call(helper, step);
                return;
            }
            ProcessBuilder builder = new ProcessBuilder(options.python, pythonScript.toString(), event(step), exclude);
            Map<String, String> penv = builder.environment();
            penv.clear();
            penv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            penv.put("LANG", "en_US.UTF-8");
            penv.put("AWS_REGION", "us-east-1");
            penv.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
            penv.put("AWS_SECRET_ACCESS_KEY", "bench-secret-key");
            penv.put("AWS_SESSION_TOKEN", "bench-session-token");
            penv.put("AWS_EC2_METADATA_DISABLED", "true");
            penv.put("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString());
            double[] done = timeUntilDone(builder, function.name() + "-python.log", "the Python createSecret");
            r.wall(Kind.PYTHON).add(done[0]);
            r.cpu(Kind.PYTHON).add(done[1]);
        });
        rotate(arn, functionArn);
    }

    // ---- secrets and rotations -------------------------------------------------------------------

    private String newSecret(TestDatabase db, String dbName, Functions.Function function, String host, int port) {
        String username = "bench_" + runId + "_" + userCounter.incrementAndGet();
        String password = randomAlnum(24);
        db.createAppUser(dbName, username, password);
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("engine", db.engine());
        secret.put("host", host);
        secret.put("port", port);
        secret.put("username", username);
        secret.put("password", password);
        secret.put("dbname", dbName);
        try {
            String value = JSON.writeValueAsString(secret);
            return client.createSecret(b -> b.name("bench/" + function.name() + "/" + username).secretString(value)).arn();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void rotate(String arn, String functionArn) {
        rotateAll(List.of(arn), functionArn, null);
    }

    private void rotateAll(List<String> arns, String functionArn, Router.Route route) {
        for (String arn : arns) {
            if (route != null) {
                router.route(arn, route);
            }
            client.rotateSecret(b -> b.secretId(arn).rotationLambdaARN(functionArn)
                    .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
        }
        if (!server.awaitRotations(Duration.ofMinutes(5))) {
            throw new IllegalStateException("rotations did not finish within 5 minutes");
        }
        for (String arn : arns) {
            RotationOutcome outcome = server.rotationOutcome(arn).orElseThrow();
            if (!RotationOutcome.SUCCEEDED.equals(outcome.status())) {
                throw new IllegalStateException("rotation of " + arn + " ended " + outcome.status() + " in "
                        + outcome.step() + ": " + outcome.reason());
            }
            router.forget(arn);
        }
    }

    /** A zip function's execution environment on the java21 command line (every measurement but the cold starts'). */
    private FunctionProcess launch(Functions.Function function, Map<String, String> env, String label,
            List<String> jvmOptions) {
        return launch(java21, function, env, label, jvmOptions);
    }

    private FunctionProcess launch(FunctionProcess.Jvm jvm, Functions.Function function, Map<String, String> env,
            String label, List<String> jvmOptions) {
        List<String> all = new ArrayList<>(options.jvmOptions);
        all.addAll(jvmOptions);
        return FunctionProcess.launch(jvm, function, env, runtimeLib,
                work.resolve("logs/" + function.name() + "-" + label + ".log"), all);
    }

    private static RuntimeApiServer.Answer call(FunctionProcess process, RotationStep step) {
        RuntimeApiServer.Answer result = process.invoke(event(step));
        if (!result.success()) {
            throw new IllegalStateException(step.step() + " failed in the function: " + result.bodyText());
        }
        return result;
    }

    static String event(RotationStep step) {
        Map<String, String> event = new LinkedHashMap<>();
        event.put("Step", step.step());
        event.put("SecretId", step.secretId());
        event.put("ClientRequestToken", step.clientRequestToken());
        event.put("RotationToken", step.rotationToken());
        try {
            return JSON.writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String checkPython() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(options.python, "-c",
                "import sys, boto3; print(sys.version.split()[0], boto3.__version__)");
        builder.redirectErrorStream(true);
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(options.python + " cannot run: install Debian's python3 and python3-boto3"
                    + " (apt-get install -y python3-boto3), or pass --python PATH", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(options.python + " has no boto3: apt-get install -y python3-boto3"
                    + " (or pass --python PATH)");
        }
        String[] parts = out.split(" ");
        return "Python " + parts[0] + ", boto3 " + parts[parts.length - 1];
    }

    private static Path benchJarDir() {
        try {
            Path location = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(location) ? location.getParent() : location.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String randomAlnum(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void log(String line) {
        System.err.println("[bench] " + line);
    }

    /** Routes each rotation's steps, by secret, to whatever runs them in this benchmark. */
    static final class Router implements RotationInvoker {
        @FunctionalInterface
        interface Route {
            void step(RotationStep step) throws Exception;
        }

        private final Map<String, Route> routes = new ConcurrentHashMap<>();

        void route(String secretArn, Route route) {
            routes.put(secretArn, route);
        }

        void forget(String secretArn) {
            routes.remove(secretArn);
        }

        @Override
        public void invoke(String rotationLambdaArn, RotationStep step) throws Exception {
            Route route = routes.get(step.secretId());
            if (route == null) {
                throw new IllegalStateException("no route for " + step.secretId());
            }
            route.step(step);
        }
    }

    /** The kinds of cold start, each measured from launch (or restore) to the end of the first createSecret. */
    enum Kind {
        ZIP_JAVA21("zip, java21 command line"),
        ZIP_JAVA21_COMPARED("zip, java21 command line + the --compare options"),
        ZIP_JAVA25("zip, java25 command line"),
        IMAGE("container image + AOT cache (emulated)"),
        IMAGE_COMPARED("container image + AOT cache (emulated) + the --compare options"),
        SNAPSTART("zip + SnapStart (emulated): after restore"),
        DIRECT("zip, java21, without the runtime client"),
        PYTHON("Python 3 + boto3, fresh process");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** What the report shows for one function. */
    static final class Results {
        long jarBytes;
        final Map<Kind, Stats> wall = new java.util.EnumMap<>(Kind.class);
        final Map<Kind, Stats> cpu = new java.util.EnumMap<>(Kind.class);
        final Map<Kind, Stats> init = new java.util.EnumMap<>(Kind.class);
        final Map<Kind, Stats> rss = new java.util.EnumMap<>(Kind.class);
        final Stats snapInit = new Stats();
        final Stats snapInitCpu = new Stats();
        final Map<String, Stats> warmStep = new LinkedHashMap<>();
        final Stats warmRotation = new Stats();
        long warmRssKb;
        long poolRssKb;
        int classesTotal;
        int classesFunction;
        Map<String, Integer> smRequests = Map.of();
        int dbLogins;
        double rotationsPerSecond;

        Results() {
            for (String step : STEPS) {
                warmStep.put(step, new Stats());
            }
            for (Kind kind : Kind.values()) {
                wall.put(kind, new Stats());
                cpu.put(kind, new Stats());
                init.put(kind, new Stats());
                rss.put(kind, new Stats());
            }
        }

        Stats wall(Kind kind) {
            return wall.get(kind);
        }

        Stats cpu(Kind kind) {
            return cpu.get(kind);
        }

        Stats init(Kind kind) {
            return init.get(kind);
        }

        Stats rss(Kind kind) {
            return rss.get(kind);
        }
    }

    /** Command-line options. */
    static final class Options {
        boolean quick;
        int runs = 9;
        int warmup = 5;
        int warm = 20;
        int secrets = 40;
        int concurrency = 2;
        Path out = Path.of("bench/target/bench-results.md");
        String python = "/usr/bin/python3";
        String java25;
        List<String> functions = new ArrayList<>();
        List<String> jvmOptions = new ArrayList<>();
        boolean coldOnly;
        List<Kind> kinds = new ArrayList<>();
        List<String> compare = new ArrayList<>();

        /** Whether this run measures cold starts of {@code kind} ({@code --kind}, default: all). */
        boolean measures(Kind kind) {
            return kinds.isEmpty() || kinds.contains(kind);
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.quick = true;
                        o.runs = 1;
                        o.warmup = 1;
                        o.warm = 2;
                        o.secrets = 4;
                    }
                    case "--runs" -> o.runs = positive(a, value(args, ++i, a));
                    case "--warm" -> o.warm = positive(a, value(args, ++i, a));
                    case "--secrets" -> o.secrets = positive(a, value(args, ++i, a));
                    case "--concurrency" -> o.concurrency = positive(a, value(args, ++i, a));
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--python" -> o.python = value(args, ++i, a);
                    case "--java25" -> o.java25 = value(args, ++i, a);
                    case "--function" -> o.functions.add(value(args, ++i, a));
                    case "--jvm-option" -> o.jvmOptions.add(value(args, ++i, a));
                    case "--cold-only" -> o.coldOnly = true;
                    case "--compare" -> o.compare.add(value(args, ++i, a));
                    case "--kind" -> {
                        String kind = value(args, ++i, a);
                        try {
                            o.kinds.add(Kind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_')));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--kind must be one of zip-java21 zip-java25 image"
                                    + " snapstart direct python, got " + kind);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (known: --quick --runs N --warm N --secrets N --concurrency N --out FILE --python PATH"
                            + " --java25 PATH --function mysql|postgres --jvm-option OPTION --cold-only --kind KIND --compare OPTION)");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a positive number, got " + value);
            }
        }
    }
}
