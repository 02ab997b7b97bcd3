package dev.rotation.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One secret in memory with the service's label rules for a rotation, counting requests and how many
 * run at once. {@link #gate} can hold requests until a test releases them.
 */
final class FakeSecretsManager implements SecretsManagerClient {
    static final String NAME = "prod/dbCredentials";
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/dbCredentials-AbCdEf";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> stages = new LinkedHashMap<>();
    private int versions;
    final AtomicInteger describeCalls = new AtomicInteger();
    final AtomicInteger getCalls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile boolean failing;

    FakeSecretsManager(String firstValue) {
        String id = nextId();
        values.put(id, firstValue);
        stages.put(id, new ArrayList<>(List.of("AWSCURRENT")));
    }

    private String nextId() {
        return String.format("%08d-0000-4000-8000-000000000000", ++versions);
    }

    /** createSecret: a new version labelled AWSPENDING, with a value unless {@code value} is null. */
    synchronized String startRotation(String value) {
        String id = nextId();
        stages.values().forEach(s -> s.remove("AWSPENDING"));
        stages.put(id, new ArrayList<>(List.of("AWSPENDING")));
        if (value != null) {
            values.put(id, value);
        }
        return id;
    }

    synchronized void putPendingValue(String id, String value) {
        values.put(id, value);
    }

    /** finishSecret: AWSCURRENT moves to the pending version, AWSPREVIOUS to the old current one. */
    synchronized void finishRotation() {
        String pending = versionWith("AWSPENDING");
        String current = versionWith("AWSCURRENT");
        stages.values().forEach(s -> s.remove("AWSPREVIOUS"));
        stages.get(current).remove("AWSCURRENT");
        stages.get(current).add("AWSPREVIOUS");
        stages.get(pending).add("AWSCURRENT");
    }

    synchronized String versionWith(String stage) {
        return stages.entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    int requests() {
        return describeCalls.get() + getCalls.get();
    }

    @Override
    public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        describeCalls.incrementAndGet();
        try {
            enter();
            synchronized (this) {
                Map<String, List<String>> copy = new LinkedHashMap<>();
                stages.forEach((k, v) -> copy.put(k, List.copyOf(v)));
                return DescribeSecretResponse.builder().arn(ARN).name(NAME).rotationEnabled(true)
                        .versionIdsToStages(copy).build();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        getCalls.incrementAndGet();
        try {
            enter();
            synchronized (this) {
                String id = request.versionId() != null ? request.versionId() : versionWith(request.versionStage());
                if (id == null || !values.containsKey(id)
                        || (request.versionStage() != null && !stages.get(id).contains(request.versionStage()))) {
                    throw ResourceNotFoundException.builder().message("Secrets Manager can't find the specified "
                            + "secret value for staging label: " + request.versionStage()).build();
                }
                return GetSecretValueResponse.builder().arn(ARN).name(NAME).versionId(id).secretString(values.get(id))
                        .versionStages(stages.get(id)).build();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void enter() {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failing) {
            throw InternalServiceErrorException.builder().message("service unavailable").build();
        }
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
