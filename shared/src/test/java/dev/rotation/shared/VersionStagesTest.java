package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionStagesTest {
    private final VersionStages stages = VersionStages.of(Map.of(
            "v1", List.of("AWSPREVIOUS"),
            "v2", List.of("AWSCURRENT", "custom"),
            "v3", List.of("AWSPENDING")));

    @Test
    void versionHolding_findsTheLabelsVersion() {
        assertThat(stages.versionHolding(VersionStages.CURRENT)).contains("v2");
        assertThat(stages.versionHolding(VersionStages.PENDING)).contains("v3");
        assertThat(stages.versionHolding("missing")).isEmpty();
    }

    @Test
    void hasStage_andContains_answerPerVersion() {
        assertThat(stages.hasStage("v2", "custom")).isTrue();
        assertThat(stages.hasStage("v3", VersionStages.CURRENT)).isFalse();
        assertThat(stages.contains("v1")).isTrue();
        assertThat(stages.contains("v9")).isFalse();
        assertThat(stages.stagesOf("v9")).isEmpty();
    }

    @Test
    void of_withoutVersions_isEmpty() {
        assertThat(VersionStages.of((Map<String, List<String>>) null).versionHolding(VersionStages.CURRENT)).isEmpty();
    }
}
