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
 * memory and with an encrypted, fsynced data directory. Not a test: run it by hand.
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

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        System.out.printf("%-42s %7s %8s %10s %9s %9s%n", "scenario", "threads", "ops", "ops/s", "p50 ms", "p99 ms");
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO)
                .build().start()) {
            scenarios("in-memory", server.endpoint(), ops);
            rawHttp(server.endpoint(), ops);
        }
        Path dir = Files.createTempDirectory("sm-bench");
        try (LocalSecretsManager server = LocalSecretsManager.builder().port(0).dataDir(dir)
                .schedulerInterval(Duration.ZERO).build().start()) {
            scenarios("data-dir (AES-GCM, fsync)", server.endpoint(), Math.max(500, ops / 5));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
