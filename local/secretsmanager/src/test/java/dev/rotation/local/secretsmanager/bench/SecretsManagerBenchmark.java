package dev.rotation.local.secretsmanager.bench;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Throughput of GetSecretValue and PutSecretValue through the SDK v2 client over loopback, in
 * memory and with an encrypted, fsynced data directory; then whether a read's cost grows with the work:
 * GetSecretValue in three rounds while PutSecretValue keeps adding versions to the same secrets, at 10 to
 * 10,000 versions per secret, with 2,000 secrets, and while 200 connections sit stalled mid-request; and
 * the server's resident memory: it runs in a JVM of its own, with the options serve uses unless
 * {@code -Dbench.server.jvm} says otherwise. Not a test: run it by hand.
 *
 * <pre>
 * ./mvnw -B -q -pl local test-compile org.codehaus.mojo:exec-maven-plugin:3.6.4:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=dev.rotation.local.secretsmanager.bench.SecretsManagerBenchmark \
 *   [-Dexec.args="OPS_PER_RUN"]
 * </pre>
 * Every run is bounded by an operation count and by 30 seconds, and talks to 127.0.0.1 only.
 */
public final class SecretsManagerBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    private static final String VALUE = "{\"engine\":\"mysql\",\"host\":\"db.local\",\"username\":\"app\","
            + "\"password\":\"bench-password-0123456789\",\"port\":3306}";

    /**
     * Puts are spread over this many secrets: the service keeps every version younger than 24 hours,
     * so thousands of puts to one secret would measure an ever longer version list rather than a put.
     */
    private static final int PUT_SECRETS = 50;

    private SecretsManagerBenchmark() {
    }

    private static String putTarget(int i) {
        return "bench-" + Math.floorMod(i, PUT_SECRETS);
    }

    /**
     * The server's JVM options: {@code -Dbench.server.jvm="..."} (space-separated), by default those serve
     * relaunches itself with.
     */
    private static final List<String> SERVER_JVM = List.of(System.getProperty("bench.server.jvm",
            String.join(" ", LocalSecretsManager.BOUNDED_JVM_OPTIONS)).trim().split("\\s+"));

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        System.out.println("server JVM (its own process): " + String.join(" ", SERVER_JVM));
        System.out.printf("%-42s %7s %8s %10s %9s %9s%n", "scenario", "threads", "ops", "ops/s", "p50 ms", "p99 ms");
        try (Server server = Server.start(null)) {
            scenarios("in-memory", server.endpoint, ops);
            rawHttp(server.endpoint, ops);
            server.report("in-memory");
        }
        Path dir = Files.createTempDirectory("sm-bench");
        try (Server server = Server.start(dir)) {
            scenarios("data-dir (AES-GCM, fsync)", server.endpoint, Math.max(500, ops / 5));
            server.report("data-dir");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Server server = Server.start(null)) {
            growth(server.endpoint);
            server.report("growth (2,100 secrets, 10,000 versions, 200 stalled connections)");
        }
    }

    /** A {@link BenchServer} in a child JVM, and its resident memory read from /proc. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final URI endpoint;

        private Server(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        static Server start(Path dataDir) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(SERVER_JVM);
            command.addAll(List.of("-cp", classPath(), BenchServer.class.getName()));
            if (dataDir != null) {
                command.add(dataDir.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(LocalSecretsManager.BOUNDED_JVM_ENVIRONMENT);
            Process p = pb.start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                p.destroyForcibly();
                throw new IllegalStateException("the benchmark server did not start: " + command);
            }
            return new Server(p, URI.create(line.trim()));
        }

        void report(String what) {
            System.out.println("server RSS after " + what + ": peak " + rss(process.pid(), "VmHWM") + ", now "
                    + rss(process.pid(), "VmRSS"));
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** This JVM's class path, also under exec:java (whose class loader holds the project's). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = BenchServer.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return entries.isEmpty() ? System.getProperty("java.class.path")
                : String.join(java.io.File.pathSeparator, entries);
    }

    private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.round.seconds", 10));

    /**
     * Does a read get slower as the work grows? GetSecretValue (4 threads) on secrets that 4 other threads
     * keep writing new versions to, three rounds; then on one secret of 10, 100, 1,000 and 10,000
     * versions; then among 2,000 secrets; then with 200 connections stalled mid-request.
     */
    private static void growth(URI endpoint) throws Exception {
        try (SecretsManagerClient sm = client(endpoint)) {
            for (int s = 0; s < PUT_SECRETS; s++) {
                String name = "grow-" + s;
                sm.createSecret(r -> r.name(name).secretString(VALUE));
            }
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicLong puts = new java.util.concurrent.atomic.AtomicLong();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            for (int w = 0; w < 4; w++) {
                int base = w;
                writers.submit(() -> {
                    long deadline = System.nanoTime() + ROUND.multipliedBy(4).toNanos();
                    for (long i = base; writing.get() && System.nanoTime() < deadline; i += 4) {
                        long n = i;
                        sm.putSecretValue(r -> r.secretId("grow-" + Math.floorMod(n, PUT_SECRETS))
                                .secretString(VALUE + n));
                        puts.incrementAndGet();
                    }
                });
            }
            for (int round = 1; round <= 3; round++) {
                long before = puts.get();
                double perSecond = timed(4, ROUND, i -> sm.getSecretValue(r -> r.secretId("grow-"
                        + Math.floorMod(i, PUT_SECRETS))));
                System.out.printf("GetSecretValue while PutSecretValue adds versions, round %d: %,.0f ops/s "
                        + "(%,d puts meanwhile)%n", round, perSecond, puts.get() - before);
            }
            writing.set(false);
            writers.shutdown();
            writers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);

            int have = 1;
            sm.createSecret(r -> r.name("versions").secretString(VALUE));
            for (int target : new int[] {10, 100, 1_000, 10_000}) {
                for (; have < target; have++) {
                    int n = have;
                    sm.putSecretValue(r -> r.secretId("versions").secretString(VALUE + n));
                }
                double perSecond = timed(4, ROUND.dividedBy(2), i -> sm.getSecretValue(r -> r.secretId("versions")));
                System.out.printf("GetSecretValue on a secret of %,6d versions: %,.0f ops/s%n", target, perSecond);
            }

            for (int s = 0; s < 2_000; s++) {
                String name = "many-" + s;
                sm.createSecret(r -> r.name(name).secretString(VALUE));
            }
            double many = timed(4, ROUND.dividedBy(2), i -> sm.getSecretValue(r -> r.secretId("many-"
                    + Math.floorMod(i * 7919, 2_000))));
            System.out.printf("GetSecretValue among 2,000 more secrets: %,.0f ops/s%n", many);

            List<java.net.Socket> stalled = new ArrayList<>();
            try {
                for (int c = 0; c < 200; c++) {
                    java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort());
                    socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + ":"
                            + endpoint.getPort() + "\r\nContent-Length: 100\r\n\r\n{\"Secret")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    stalled.add(socket);
                }
                double withStalled = timed(4, ROUND.dividedBy(2), i -> sm.getSecretValue(r -> r.secretId("versions")));
                System.out.printf("GetSecretValue with 200 connections stalled mid-request: %,.0f ops/s%n",
                        withStalled);
            } finally {
                for (java.net.Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    /** Calls from {@code threads} threads for {@code length}; returns calls per second. */
    private static double timed(int threads, Duration length, Consumer<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long deadline = start + length.toNanos();
        List<Future<Integer>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t;
            parts.add(pool.submit(() -> {
                int n = 0;
                for (int i = base; System.nanoTime() < deadline; i += threads) {
                    call.accept(i);
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Integer> f : parts) {
            total += f.get();
        }
        pool.shutdown();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static String rss(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return kb / 1024 + " MB";
                }
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static void scenarios(String label, URI endpoint, int ops) throws Exception {
        try (SecretsManagerClient sm = client(endpoint)) {
            sm.createSecret(r -> r.name("bench").secretString(VALUE));
            for (int s = 0; s < PUT_SECRETS; s++) {
                String name = "bench-" + s;
                sm.createSecret(r -> r.name(name).secretString(VALUE));
            }
            run(label + " GetSecretValue", 1, ops / 5, ops, i -> sm.getSecretValue(r -> r.secretId("bench")));
            run(label + " GetSecretValue", 4, ops / 5, ops, i -> sm.getSecretValue(r -> r.secretId("bench")));
            run(label + " PutSecretValue", 1, ops / 5, ops,
                    i -> sm.putSecretValue(r -> r.secretId(putTarget(i)).secretString(VALUE + i)));
            run(label + " PutSecretValue", 4, ops / 5, ops,
                    i -> sm.putSecretValue(r -> r.secretId(putTarget(i)).secretString(VALUE + i)));
        }
    }

    /** The same call without the SDK (unsigned, java.net.http), to separate server cost from client cost. */
    private static void rawHttp(URI endpoint, int ops) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "secretsmanager.GetSecretValue")
                .POST(HttpRequest.BodyPublishers.ofString("{\"SecretId\":\"bench\"}")).build();
        run("in-memory GetSecretValue, raw HTTP", 1, ops / 5, ops, i -> {
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static SecretsManagerClient client(URI endpoint) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static void run(String name, int threads, int warmup, int ops, Consumer<Integer> call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.accept(-i - 1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long start = System.nanoTime();
        List<Future<long[]>> parts = new ArrayList<>();
        int each = ops / threads;
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            parts.add(pool.submit(() -> {
                long[] latencies = new long[each];
                int n = 0;
                for (; n < each && System.nanoTime() < deadline; n++) {
                    long t0 = System.nanoTime();
                    call.accept(base + n);
                    latencies[n] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : parts) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        all.sort(null);
        double perSecond = all.size() / (elapsed / 1e9);
        System.out.printf("%-42s %7d %8d %10.0f %9.2f %9.2f%n", name, threads, all.size(), perSecond,
                all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6);
    }
}
