package dev.rotation.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * A secret's staging labels as DescribeSecret reports them ({@code VersionIdsToStages}): which
 * labels a version holds and which version holds a label. The one place the protocol reads labels.
 *
 * <pre>{@code
 * VersionStages stages = VersionStages.of(client.describeSecret(r -> r.secretId(arn)));
 * Optional<String> current = stages.versionHolding(VersionStages.CURRENT);
 * }</pre>
 */
public final class VersionStages {
    /** The label of the version applications use. */
    public static final String CURRENT = "AWSCURRENT";
    /** The label of the version being rotated in. */
    public static final String PENDING = "AWSPENDING";
    /** The label the service moves to the version AWSCURRENT left. */
    public static final String PREVIOUS = "AWSPREVIOUS";

    private final Map<String, List<String>> versionIdsToStages;

    private VersionStages(Map<String, List<String>> versionIdsToStages) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        versionIdsToStages.forEach((id, stages) -> copy.put(id, List.copyOf(stages)));
        this.versionIdsToStages = Map.copyOf(copy);
    }

    public static VersionStages of(DescribeSecretResponse description) {
        return of(description.versionIdsToStages());
    }

    public static VersionStages of(Map<String, List<String>> versionIdsToStages) {
        return new VersionStages(versionIdsToStages == null ? Map.of() : versionIdsToStages);
    }

    /** Whether the secret has a version with this id. */
    public boolean contains(String versionId) {
        return versionIdsToStages.containsKey(versionId);
    }

    /** The labels of a version; empty when it has none or does not exist. */
    public List<String> stagesOf(String versionId) {
        return versionIdsToStages.getOrDefault(versionId, List.of());
    }

    public boolean hasStage(String versionId, String stage) {
        return stagesOf(versionId).contains(stage);
    }

    /** The version holding a label; a label is on at most one version. */
    public Optional<String> versionHolding(String stage) {
        return versionIdsToStages.entrySet().stream()
                .filter(entry -> entry.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public String toString() {
        return versionIdsToStages.toString();
    }
}
