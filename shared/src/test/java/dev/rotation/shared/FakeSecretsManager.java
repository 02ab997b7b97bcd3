package dev.rotation.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * One or more secrets in memory with the service's label rules, enough for the protocol: the
 * operations the functions call, and the calls recorded for assertions.
 */
final class FakeSecretsManager implements SecretsManagerClient {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-db-AbCdEf";

    private final Map<String, FakeSecret> secrets = new LinkedHashMap<>();
    final List<Object> calls = new ArrayList<>();
    final List<GetRandomPasswordRequest> passwordRequests = new ArrayList<>();
    private final List<String> randomPasswords = new ArrayList<>();
    private int generated;

    static final class FakeSecret {
        boolean rotationEnabled = true;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, List<String>> stages = new LinkedHashMap<>();
    }

    /** A secret whose first version is AWSCURRENT. */
    String create(String arn, String secretString) {
        FakeSecret secret = new FakeSecret();
        secrets.put(arn, secret);
        String version = newVersionId();
        secret.values.put(version, secretString);
        secret.stages.put(version, new ArrayList<>(List.of("AWSCURRENT")));
        return version;
    }

    String create(String secretString) {
        return create(ARN, secretString);
    }

    FakeSecret secret(String arn) {
        return secrets.get(arn);
    }

    FakeSecret secret() {
        return secrets.get(ARN);
    }

    /** What RotateSecret does before invoking the function: a token version, AWSPENDING, no value. */
    String startRotation() {
        String token = newVersionId();
        FakeSecret secret = secret();
        removeLabel(secret, "AWSPENDING");
        secret.values.put(token, null);
        secret.stages.put(token, new ArrayList<>(List.of("AWSPENDING")));
        return token;
    }

    /** Adds a labelled version directly, for arranging half-finished rotations. */
    void putVersion(String versionId, String secretString, String... labels) {
        FakeSecret secret = secret();
        for (String label : labels) {
            removeLabel(secret, label);
        }
        secret.values.put(versionId, secretString);
        secret.stages.put(versionId, new ArrayList<>(List.of(labels)));
    }

    void nextRandomPasswords(String... passwords) {
        randomPasswords.addAll(List.of(passwords));
    }

    String valueAt(String label) {
        FakeSecret secret = secret();
        return secret.stages.entrySet().stream().filter(e -> e.getValue().contains(label)).findFirst()
                .map(e -> secret.values.get(e.getKey())).orElse(null);
    }

    String versionAt(String label) {
        return secret().stages.entrySet().stream().filter(e -> e.getValue().contains(label)).findFirst()
                .map(Map.Entry::getKey).orElse(null);
    }

    Map<String, List<String>> stagesSnapshot() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        secret().stages.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    Map<String, String> valuesSnapshot() {
        return new LinkedHashMap<>(secret().values);
    }

    private static String newVersionId() {
        return UUID.randomUUID().toString();
    }

    private FakeSecret find(String secretId) {
        FakeSecret secret = secrets.get(secretId);
        if (secret == null) {
            throw (ResourceNotFoundException) ResourceNotFoundException.builder()
                    .message("Secrets Manager can't find the specified secret.").statusCode(400).build();
        }
        return secret;
    }

    private static void removeLabel(FakeSecret secret, String label) {
        secret.stages.values().forEach(labels -> labels.remove(label));
    }

    @Override
    public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        calls.add(request);
        FakeSecret secret = find(request.secretId());
        Map<String, List<String>> stages = new LinkedHashMap<>();
        secret.stages.forEach((id, labels) -> {
            if (!labels.isEmpty()) {
                stages.put(id, List.copyOf(labels));
            }
        });
        List<Tag> tags = new ArrayList<>();
        secret.tags.forEach((key, value) -> tags.add(Tag.builder().key(key).value(value).build()));
        return DescribeSecretResponse.builder().arn(request.secretId()).rotationEnabled(secret.rotationEnabled)
                .versionIdsToStages(stages).tags(tags).build();
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        calls.add(request);
        if (request.versionStage() == null) {
            throw new AssertionError("GetSecretValue without VersionStage");
        }
        FakeSecret secret = find(request.secretId());
        String versionId = request.versionId();
        if (versionId == null) {
            versionId = secret.stages.entrySet().stream().filter(e -> e.getValue().contains(request.versionStage()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
        if (versionId == null || !secret.stages.getOrDefault(versionId, List.of()).contains(request.versionStage())
                || secret.values.get(versionId) == null) {
            throw (ResourceNotFoundException) ResourceNotFoundException.builder()
                    .message("Secrets Manager can't find the specified secret value for staging label: "
                            + request.versionStage()).statusCode(400).build();
        }
        return GetSecretValueResponse.builder().arn(request.secretId()).versionId(versionId)
                .secretString(secret.values.get(versionId)).versionStages(secret.stages.get(versionId)).build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
        calls.add(request);
        FakeSecret secret = find(request.secretId());
        String token = request.clientRequestToken();
        String existing = secret.values.get(token);
        if (existing != null) {
            if (existing.equals(request.secretString())) {
                return PutSecretValueResponse.builder().versionId(token).build();
            }
            throw (ResourceExistsException) ResourceExistsException.builder()
                    .message("You can't modify an existing version, you can only create a new version.")
                    .statusCode(400).build();
        }
        List<String> labels = request.hasVersionStages() ? request.versionStages() : List.of("AWSCURRENT");
        for (String label : labels) {
            removeLabel(secret, label);
        }
        secret.values.put(token, request.secretString());
        List<String> own = secret.stages.computeIfAbsent(token, k -> new ArrayList<>());
        for (String label : labels) {
            if (!own.contains(label)) {
                own.add(label);
            }
        }
        return PutSecretValueResponse.builder().versionId(token).versionStages(own).build();
    }

    @Override
    public UpdateSecretVersionStageResponse updateSecretVersionStage(UpdateSecretVersionStageRequest request) {
        calls.add(request);
        FakeSecret secret = find(request.secretId());
        String label = request.versionStage();
        String holder = secret.stages.entrySet().stream().filter(e -> e.getValue().contains(label))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (holder != null && !holder.equals(request.moveToVersionId())
                && !holder.equals(request.removeFromVersionId())) {
            throw (InvalidParameterException) InvalidParameterException.builder()
                    .message("The parameter RemoveFromVersionId doesn't match the version that holds the label")
                    .statusCode(400).build();
        }
        if (holder != null && !holder.equals(request.moveToVersionId())) {
            secret.stages.get(holder).remove(label);
        }
        if (request.moveToVersionId() != null) {
            List<String> target = secret.stages.get(request.moveToVersionId());
            if (!target.contains(label)) {
                target.add(label);
            }
            if (label.equals("AWSCURRENT") && holder != null && !holder.equals(request.moveToVersionId())) {
                removeLabel(secret, "AWSPREVIOUS");
                secret.stages.get(holder).add("AWSPREVIOUS");
            }
        }
        return UpdateSecretVersionStageResponse.builder().arn(request.secretId())
                .build();
    }

    @Override
    public GetRandomPasswordResponse getRandomPassword(GetRandomPasswordRequest request) {
        calls.add(request);
        passwordRequests.add(request);
        String password = randomPasswords.isEmpty() ? "Gen3rated-Pw-" + (++generated) + "-xYz" : randomPasswords.remove(0);
        return GetRandomPasswordResponse.builder().randomPassword(password).build();
    }

    /** The calls of one type, in order. */
    <T> List<T> calls(Class<T> type) {
        return calls.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
