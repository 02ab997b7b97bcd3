package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SecretStoreTest {
    private static final String T1 = "00000000-0000-0000-0000-000000000001";
    private static final String T2 = "00000000-0000-0000-0000-000000000002";
    private static final String T3 = "00000000-0000-0000-0000-000000000003";
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:rotate";

    private final TestClock clock = TestClock.at("2026-01-10T08:00:00Z");
    private final SecretStore store = new SecretStore(clock, "us-east-1", "123456789012", SecretPersistence.IN_MEMORY);

    private static SecretValue s(String v) {
        return SecretValue.ofString(v);
    }

    private Map<String, List<String>> stages(String id) {
        return store.describe(id).versions.values().stream()
                .collect(Collectors.toMap(v -> v.versionId, v -> List.copyOf(v.labels)));
    }

    private String valueOf(String id, String stage) {
        return store.getSecretValue(id, null, stage).value().string();
    }

    @Test
    void createSecret_withValue_firstVersionIsCurrent() {
        SecretStore.Ref r = store.createSecret("app/db", T1, null, null, s("one"), null);
        assertThat(r.versionId()).isEqualTo(T1);
        assertThat(r.arn()).matches("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-[A-Za-z0-9]{6}");
        assertThat(stages("app/db")).containsEntry(T1, List.of("AWSCURRENT"));
    }

    @Test
    void createSecret_whenNameExists_throwsResourceExists() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.createSecret("a", T2, null, null, s("two"), null))
                .isInstanceOf(ServiceException.class)
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceExistsException"));
    }

    @Test
    void createSecret_retriedWithSameTokenAndValue_succeedsWithoutChange() {
        SecretStore.Ref first = store.createSecret("a", T1, null, null, s("one"), null);
        SecretStore.Ref again = store.createSecret("a", T1, null, null, s("one"), null);
        assertThat(again).isEqualTo(first);
        assertThat(stages("a")).hasSize(1);
    }

    @Test
    void createSecret_withInvalidName_throwsInvalidParameterAndCreatesNothing() {
        assertThatThrownBy(() -> store.createSecret("bad name!", T1, null, null, s("one"), null))
                .isInstanceOf(ServiceException.class).hasMessageContaining("Invalid name");
        assertThat(store.listSecrets(null, true, null, null, null, null).secrets()).isEmpty();
    }

    @Test
    void createSecret_withoutValue_hasNoVersionsAndFirstPutBecomesCurrentWhateverItsStages() {
        store.createSecret("empty", T1, null, null, null, null);
        assertThat(stages("empty")).isEmpty();
        store.putSecretValue("empty", T2, s("v"), List.of("AWSPENDING"));
        assertThat(stages("empty").get(T2)).containsExactlyInAnyOrder("AWSPENDING", "AWSCURRENT");
    }

    @Test
    void putSecretValue_withoutStages_movesCurrentAndPreviousFollows() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), null);
        assertThat(stages("a")).containsEntry(T1, List.of("AWSPREVIOUS")).containsEntry(T2, List.of("AWSCURRENT"));
        store.putSecretValue("a", T3, s("three"), null);
        assertThat(stages("a")).containsEntry(T1, List.of()).containsEntry(T2, List.of("AWSPREVIOUS"))
                .containsEntry(T3, List.of("AWSCURRENT"));
        assertThat(valueOf("a", null)).isEqualTo("three");
    }

    @Test
    void putSecretValue_withPendingStage_leavesCurrentAlone() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        assertThat(valueOf("a", null)).isEqualTo("one");
        assertThat(valueOf("a", "AWSPENDING")).isEqualTo("two");
        assertThat(stages("a")).containsEntry(T1, List.of("AWSCURRENT"));
    }

    @Test
    void putSecretValue_customLabel_isTakenOffItsPreviousVersion() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("blue"));
        store.putSecretValue("a", T3, s("three"), List.of("blue"));
        assertThat(stages("a").get(T2)).isEmpty();
        assertThat(stages("a").get(T3)).containsExactly("blue");
        assertThat(valueOf("a", "blue")).isEqualTo("three");
    }

    @Test
    void putSecretValue_sameTokenSameValue_isANoOp() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), null);
        SecretStore.Written again = store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        assertThat(again.stages()).containsExactly("AWSCURRENT");
        assertThat(stages("a")).hasSize(2);
    }

    @Test
    void putSecretValue_sameTokenOtherValue_throwsResourceExistsWithoutTheValue() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.putSecretValue("a", T1, s("changed-value"), null))
                .isInstanceOf(ServiceException.class)
                .hasMessageNotContaining("changed-value").hasMessageNotContaining("one")
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceExistsException"));
        assertThat(valueOf("a", null)).isEqualTo("one");
    }

    @Test
    void putSecretValue_tooLongOrShortToken_throwsInvalidParameter() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.putSecretValue("a", "short", s("two"), null))
                .hasMessageContaining("32 to 64");
        assertThatThrownBy(() -> store.putSecretValue("a", "x".repeat(65), s("two"), null))
                .hasMessageContaining("32 to 64");
    }

    @Test
    void secretValue_over65536Bytes_isRefusedAndExactLimitAccepted() {
        assertThatThrownBy(() -> SecretValue.ofString("x".repeat(65_537))).hasMessageContaining("65536");
        assertThatThrownBy(() -> SecretValue.ofBinary(new byte[65_537])).hasMessageContaining("65536");
        store.createSecret("big", T1, null, null, s("x".repeat(65_536)), null);
        assertThat(valueOf("big", null)).hasSize(65_536);
    }

    @Test
    void updateSecretVersionStage_movingLabelHeldElsewhere_needsMatchingRemoveFrom() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        assertThatThrownBy(() -> store.updateSecretVersionStage("a", "AWSCURRENT", T2, null))
                .hasMessageContaining("RemoveFromVersionId");
        assertThatThrownBy(() -> store.updateSecretVersionStage("a", "AWSCURRENT", T2, T3))
                .hasMessageContaining("RemoveFromVersionId");
        assertThat(stages("a").get(T1)).containsExactly("AWSCURRENT");

        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);

        assertThat(stages("a").get(T1)).containsExactly("AWSPREVIOUS");
        assertThat(stages("a").get(T2)).containsExactlyInAnyOrder("AWSPENDING", "AWSCURRENT");
        assertThat(valueOf("a", null)).isEqualTo("two");
    }

    @Test
    void updateSecretVersionStage_repeatedMove_neverDuplicatesLabels() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);
        long currents = stages("a").values().stream().filter(l -> l.contains("AWSCURRENT")).count();
        assertThat(currents).isEqualTo(1);
        assertThat(stages("a").get(T2)).doesNotHaveDuplicates();
    }

    @Test
    void updateSecretVersionStage_removeOnly_detachesLabelButNeverAwsCurrent() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSPENDING", null, T2);
        assertThat(stages("a").get(T2)).isEmpty();
        assertThatThrownBy(() -> store.updateSecretVersionStage("a", "AWSCURRENT", null, T1))
                .hasMessageContaining("can't be completely detached");
    }

    @Test
    void updateSecretVersionStage_whenNoVersionIsCurrent_attachesWithoutRemoveFrom() {
        store.createSecret("a", T1, null, null, null, null);
        SecretStore.RotationTicket t = store.startRotation("a", T2, FN, null, true);
        store.putSecretValue("a", T2, s("first"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSCURRENT", t.versionId(), null);
        assertThat(valueOf("a", null)).isEqualTo("first");
    }

    @Test
    void emptySecret_rotationFillsPendingWithoutMakingItCurrentUntilFinish() {
        store.createSecret("a", T1, null, null, null, null);
        store.startRotation("a", T2, FN, null, true);
        store.putSecretValue("a", T2, s("initial"), List.of("AWSPENDING"));
        assertThat(stages("a").get(T2)).containsExactly("AWSPENDING");
        assertThatThrownBy(() -> store.getSecretValue("a", null, null)).hasMessageContaining("AWSCURRENT");
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, null);
        assertThat(valueOf("a", null)).isEqualTo("initial");
    }

    @Test
    void updateSecretVersionStage_unknownVersion_throwsNotFound() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.updateSecretVersionStage("a", "blue", T3, null))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void versionLabels_limitedTo20PerVersion() {
        store.createSecret("a", T1, null, null, s("one"), null);
        for (int i = 0; i < 19; i++) {
            store.updateSecretVersionStage("a", "L" + i, T1, null);
        }
        assertThatThrownBy(() -> store.updateSecretVersionStage("a", "L19", T1, null))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("LimitExceededException"));
    }

    @Test
    void getSecretValue_afterLabelMove_returnsNewCurrentNotOld() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);
        assertThat(valueOf("a", null)).isEqualTo("two");
        assertThat(valueOf("a", "AWSPREVIOUS")).isEqualTo("one");
    }

    @Test
    void getSecretValue_versionIdAndStageMismatch_throwsNotFound() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.getSecretValue("a", T1, "AWSPENDING"))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void find_acceptsNameFullArnAndPartialArn() {
        String arn = store.createSecret("x/y", T1, null, null, s("one"), null).arn();
        String partial = arn.substring(0, arn.length() - 7);
        assertThat(valueOf(arn, null)).isEqualTo("one");
        assertThat(valueOf(partial, null)).isEqualTo("one");
        assertThatThrownBy(() -> valueOf(arn + "x", null)).hasMessageContaining("can't find");
    }

    @Test
    void listSecretVersionIds_hidesDeprecatedUnlessAsked() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), null);
        store.putSecretValue("a", T3, s("three"), null);
        assertThat(store.listSecretVersionIds("a", false, null, null).versions()).extracting(v -> v.versionId)
                .containsExactly(T3, T2);
        assertThat(store.listSecretVersionIds("a", true, null, null).versions()).extracting(v -> v.versionId)
                .containsExactly(T3, T2, T1);
    }

    @Test
    void pruning_keeps100NewestButNeverDropsVersionsYoungerThanADay() {
        store.createSecret("a", null, null, null, s("v0"), null);
        for (int i = 1; i <= 110; i++) {
            store.putSecretValue("a", null, s("v" + i), null);
        }
        assertThat(store.describe("a").versions).hasSize(111);

        clock.advance(Duration.ofHours(25));
        store.putSecretValue("a", null, s("v111"), null);

        Secret after = store.describe("a");
        assertThat(after.versions).hasSize(100);
        assertThat(after.versions.values()).extracting(v -> v.value.string()).contains("v111", "v110", "v109")
                .doesNotContain("v0", "v1");
    }

    @Test
    void paging_listSecretVersionIds_returnsEveryVersionOnce() {
        store.createSecret("a", T1, null, null, s("one"), null);
        for (int i = 0; i < 4; i++) {
            store.putSecretValue("a", null, s("v" + i), List.of("L" + i));
        }
        SecretStore.VersionPage p1 = store.listSecretVersionIds("a", false, 2, null);
        SecretStore.VersionPage p2 = store.listSecretVersionIds("a", false, 2, p1.nextToken());
        SecretStore.VersionPage p3 = store.listSecretVersionIds("a", false, 2, p2.nextToken());
        assertThat(p3.nextToken()).isNull();
        assertThat(p1.versions().size() + p2.versions().size() + p3.versions().size()).isEqualTo(5);
        assertThatThrownBy(() -> store.listSecretVersionIds("a", false, 2, "garbage!"))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("InvalidNextTokenException"));
    }

    @Test
    void deleteSecret_withRecoveryWindow_blocksUseUntilRestoredAndPurgesWhenWindowEnds() {
        store.createSecret("a", T1, null, null, s("one"), null);
        SecretStore.Deleted d = store.deleteSecret("a", 7L, false);
        assertThat(d.deletionDate()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> valueOf("a", null))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("InvalidRequestException"));
        assertThatThrownBy(() -> store.putSecretValue("a", null, s("x"), null)).hasMessageContaining("marked for deletion");
        assertThatThrownBy(() -> store.createSecret("a", T2, null, null, s("x"), null))
                .hasMessageContaining("scheduled for deletion");
        assertThat(store.describe("a").deletedDate).isEqualTo(d.deletionDate());

        store.restoreSecret("a");
        assertThat(valueOf("a", null)).isEqualTo("one");

        store.deleteSecret("a", null, false);
        clock.advance(Duration.ofDays(29));
        assertThat(store.describe("a").deleted()).isTrue();
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> store.describe("a"))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceNotFoundException"));
        store.createSecret("a", T2, null, null, s("new"), null);
        assertThat(valueOf("a", null)).isEqualTo("new");
    }

    @Test
    void deleteSecret_invalidWindowOrBothOptions_throwsInvalidParameterAndDeletesNothing() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.deleteSecret("a", 6L, false)).hasMessageContaining("between 7 and 30");
        assertThatThrownBy(() -> store.deleteSecret("a", 31L, false)).hasMessageContaining("between 7 and 30");
        assertThatThrownBy(() -> store.deleteSecret("a", 7L, true)).hasMessageContaining("ForceDeleteWithoutRecovery");
        assertThat(valueOf("a", null)).isEqualTo("one");
    }

    @Test
    void deleteSecret_force_removesAtOnceEvenWhenAlreadyScheduled() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.deleteSecret("a", 7L, false);
        assertThatThrownBy(() -> store.deleteSecret("a", 7L, false)).hasMessageContaining("marked deleted");
        store.deleteSecret("a", null, true);
        assertThatThrownBy(() -> store.describe("a")).hasMessageContaining("can't find");
    }

    @Test
    void startRotation_createsValuelessPendingVersionUnderToken() {
        store.createSecret("a", T1, null, null, s("one"), null);
        SecretStore.RotationTicket t = store.startRotation("a", T2, FN,
                new SecretStore.RulesInput(7L, null, null), true);
        assertThat(t.run()).isTrue();
        assertThat(stages("a").get(T2)).containsExactly("AWSPENDING");
        assertThatThrownBy(() -> store.getSecretValue("a", null, "AWSPENDING"))
                .hasMessageContaining("staging label: AWSPENDING");
        assertThat(store.describe("a").rotationEnabled).isTrue();
    }

    @Test
    void startRotation_whilePreviousIncomplete_refusesAndChangesNothing() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.startRotation("a", T2, FN, null, true);
        store.recordOutcome(new SecretStore.RotationTicket(store.describe("a").arn, "a", T2, FN, false, 0, "r", true),
                new RotationOutcome(T2, RotationOutcome.FAILED, "createSecret", 5, "x", clock.instant()));
        assertThatThrownBy(() -> store.startRotation("a", T3, FN, null, true))
                .hasMessageContaining("previous rotation isn't complete")
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("InvalidRequestException"));
        assertThat(stages("a")).doesNotContainKey(T3);
    }

    @Test
    void startRotation_pendingOnCurrentVersion_isNormalAndAllowed() {
        store.createSecret("a", T1, null, null, s("one"), List.of().isEmpty() ? null : null);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);
        SecretStore.RotationTicket t = store.startRotation("a", T3, FN, null, true);
        assertThat(t.run()).isTrue();
        assertThat(stages("a").get(T2)).containsExactly("AWSCURRENT");
        assertThat(stages("a").get(T3)).containsExactly("AWSPENDING");
    }

    @Test
    void startRotation_sameTokenAsFailedPendingRotation_resumesWithoutNewVersion() {
        store.createSecret("a", T1, null, null, s("one"), null);
        SecretStore.RotationTicket t = store.startRotation("a", T2, FN, null, true);
        SecretStore.RotationTicket again = store.startRotation("a", T2, FN, null, true);
        assertThat(again.run()).isFalse(); // still in progress: a retried call starts nothing
        store.recordOutcome(t, new RotationOutcome(T2, RotationOutcome.FAILED, "setSecret", 5, "x", clock.instant()));
        SecretStore.RotationTicket resumed = store.startRotation("a", T2, FN, null, true);
        assertThat(resumed.run()).isTrue();
        assertThat(stages("a")).hasSize(2);
    }

    @Test
    void startRotation_tokenOfAnExistingNonPendingVersion_throwsResourceExists() {
        store.createSecret("a", T1, null, null, s("one"), null);
        store.putSecretValue("a", T2, s("two"), List.of("blue"));
        assertThatThrownBy(() -> store.startRotation("a", T2, FN, null, true))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("ResourceExistsException"));
    }

    @Test
    void startRotation_validatesLambdaArnAndRules() {
        store.createSecret("a", T1, null, null, s("one"), null);
        assertThatThrownBy(() -> store.startRotation("a", null, "not-an-arn", null, true))
                .hasMessageContaining("RotationLambdaARN");
        assertThatThrownBy(() -> store.startRotation("a", null, null, null, true))
                .satisfies(e -> assertThat(((ServiceException) e).type()).isEqualTo("InvalidRequestException"));
        assertThatThrownBy(() -> store.startRotation("a", null, FN, new SecretStore.RulesInput(0L, null, null), true))
                .hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> store.startRotation("a", null, FN,
                new SecretStore.RulesInput(3L, "rate(3 days)", null), true)).hasMessageContaining("not both");
        assertThat(store.describe("a").rotationEnabled).isNull();
        assertThat(stages("a")).hasSize(1);
    }

    @Test
    void manualPut_countsAsRotationForTheSchedule() {
        store.createSecret("a", T1, null, null, s("one"), null);
        SecretStore.RotationTicket t = store.startRotation("a", T2, FN, new SecretStore.RulesInput(10L, null, null),
                true);
        store.putSecretValue("a", T2, s("two"), List.of("AWSPENDING"));
        store.updateSecretVersionStage("a", "AWSCURRENT", T2, T1);
        store.recordOutcome(t, new RotationOutcome(T2, RotationOutcome.SUCCEEDED, null, 1, null, clock.instant()));
        assertThat(store.nextRotationDate(store.describe("a"))).contains(java.time.Instant.parse("2026-01-20T23:59:59Z"));
        clock.advance(Duration.ofDays(3));
        store.putSecretValue("a", T3, s("three"), null);
        assertThat(store.nextRotationDate(store.describe("a"))).contains(java.time.Instant.parse("2026-01-23T23:59:59Z"));
    }

    @Test
    void tags_addReplaceRemoveAndLimits() {
        store.createSecret("a", T1, null, null, s("one"), Map.of("team", "db"));
        store.tagResource("a", Map.of("team", "platform", "env", "dev"));
        assertThat(store.describe("a").tags).containsEntry("team", "platform").containsEntry("env", "dev");
        store.untagResource("a", List.of("env"));
        assertThat(store.describe("a").tags).containsOnlyKeys("team");
        assertThatThrownBy(() -> store.tagResource("a", Map.of("aws:x", "y"))).hasMessageContaining("reserved");
    }

    @Test
    void listSecrets_filtersByNamePrefixTagAndNegation() {
        store.createSecret("prod/db", T1, "main database", null, s("1"), Map.of("env", "prod"));
        store.createSecret("dev/db", T2, null, null, s("2"), Map.of("env", "dev"));
        assertThat(store.listSecrets(List.of(new SecretStore.Filter("name", List.of("prod"))), false, null, null,
                null, null).secrets()).extracting(x -> x.name).containsExactly("prod/db");
        assertThat(store.listSecrets(List.of(new SecretStore.Filter("tag-value", List.of("dev"))), false, null, null,
                null, null).secrets()).extracting(x -> x.name).containsExactly("dev/db");
        assertThat(store.listSecrets(List.of(new SecretStore.Filter("name", List.of("!prod"))), false, null, null,
                null, null).secrets()).extracting(x -> x.name).containsExactly("dev/db");
        assertThatThrownBy(() -> store.listSecrets(List.of(new SecretStore.Filter("colour", List.of("x"))), false,
                null, null, null, null)).hasMessageContaining("Filter key");
    }

    @Test
    void concurrentWrites_keepEachLabelOnExactlyOneVersion() throws Exception {
        store.createSecret("a", T1, null, null, s("v0"), null);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 25; i++) {
                    store.putSecretValue("a", null, s("t" + thread + "-" + i), i % 3 == 0 ? List.of("blue") : null);
                }
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<String, List<String>> all = stages("a");
        assertThat(all).hasSize(201);
        for (String label : List.of("AWSCURRENT", "AWSPREVIOUS", "blue")) {
            assertThat(all.values().stream().filter(l -> l.contains(label)).count()).as(label).isEqualTo(1);
        }
    }

    @Test
    void scrub_removesWholeValuesAndPasswordFields() {
        store.createSecret("a", T1, null, null, s("{\"username\":\"app\",\"password\":\"Sup3rSecret!\"}"), null);
        String arn = store.describe("a").arn;
        assertThat(store.scrub(arn, "login as app with Sup3rSecret! failed\nforged line"))
                .isEqualTo("login as app with ***** failed forged line");
    }
}
