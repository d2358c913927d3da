package io.berth.sync.execution;

import io.berth.store.Caller;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.TestDatabases;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.execution.SourceImages.Pushed;
import io.berth.sync.filter.Decoration;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions of changes (the event-based scope) between real CNCF Distributions 2.8 (which delete
 * manifests by digest only): a copy change copies the one reference its filters still pass; a
 * deletion is a task that deletes at the destination what the source no longer has, is skipped when
 * replayed, leaves alone what the source still has, and fails saying so at a destination that does
 * not allow deletes; a full run deletes nothing.
 */
class ScopedReplicationTest {
    private static LocalDistribution source;
    private static LocalDistribution destination;
    private static LocalDistribution noDeletes;
    private static RegistryClient dst;
    private static SourceImages images;
    private static Policies policies;
    private static Executions executions;
    private static long sourceEndpoint;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        for (String sub : List.of("a", "b", "c")) {
            Files.createDirectories(dir.resolve(sub));
        }
        source = LocalDistribution.start(dir.resolve("a"), true, 1);
        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        noDeletes = LocalDistribution.start(dir.resolve("c"), false, 3);
        dst = destination.client();
        images = new SourceImages(source.client());
        Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
        Clock clock = Clock.systemUTC();
        sourceEndpoint = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock)
                .create(new EndpointDraft("site-a", RegistryEndpoint.Type.V2, List.of(source.url().toString()),
                        false, null, null, null)).id();
        policies = new Policies(tx, clock);
        ReplicationEndpoints ends = policy -> {
            RegistryClient to = policy.name().startsWith("nodel") ? noDeletes.client() : dst;
            return new ReplicationEndpoints.Ends(
                    new ReplicationEndpoints.Side("site-a", source.client(), source.client().writer(), null),
                    new ReplicationEndpoints.Side("this Berth", to, to.writer(), null));
        };
        executions = new Executions(new ExecutionStore(tx, clock, "test"), policies, ends,
                new Executions.Options(2, Duration.ofMillis(50), Duration.ofSeconds(30), PushOptions.defaults()),
                clock);
    }

    @AfterAll
    static void stop() throws Exception {
        if (executions != null) {
            executions.close();
        }
        for (LocalDistribution registry : new LocalDistribution[]{source, destination, noDeletes}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    void copyChanges_copyTheNamedReferencesTheFiltersPass_andNothingElse() throws Exception {
        Pushed v1 = images.image("s1/app", "v1", 101, 1, 5_000);
        images.image("s1/app", "v2", 102, 1, 5_000);
        images.image("s1/app", "dev", 103, 1, 5_000);
        images.image("s1other/app", "v1", 104, 1, 5_000);
        Pushed untagged = images.image("s1/app", null, 105, 1, 5_000);
        long policy = policy("s1", List.of(name("s1/**"), tag("dev", Decoration.EXCLUDES)), "mirror-s1", false);

        Execution execution = run(policy, List.of(copy("s1/app", "v1", null), copy("s1/app", "dev", null),
                copy("s1other/app", "v1", null), copy("s1/app", null, untagged.digest().toString())));

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error());
        List<ExecutionTask> tasks = executions.store().tasks(execution.id(), 1, 10).items();
        assertEquals(List.of("v1", untagged.digest().toString()), tasks.stream().map(ExecutionTask::sourceReference)
                .toList(), "dev is excluded, s1other is not named by the policy");
        assertEquals(v1.digest().toString(), tasks.getFirst().digest());
        assertEquals(TaskOperation.COPY, tasks.getFirst().operation());
        assertEquals(v1.digest(), dst.headManifest("mirror-s1/app", "v1").orElseThrow().digest());
        assertTrue(dst.headManifest("mirror-s1/app", untagged.digest().toString()).isPresent(), "copied by digest");
        assertFalse(dst.headManifest("mirror-s1/app", "v2").isPresent(), "not in the scope");
        assertFalse(dst.headManifest("mirror-s1/app", "dev").isPresent(), "excluded by the tag filter");
    }

    @Test
    void deletionChange_deletesAtTheDestination_aReplayIsSkipped_andAFullRunDeletesNothing() throws Exception {
        Pushed v1 = images.image("s2/app", "v1", 201, 1, 5_000);
        Pushed v2 = images.image("s2/app", "v2", 202, 1, 5_000);
        long policy = policy("s2", List.of(name("s2/**")), null, true);
        assertEquals(ExecutionStatus.SUCCEEDED, run(policy, null).status());
        source.client().writer().deleteManifest("s2/app", v1.digest().toString());
        source.client().writer().deleteManifest("s2/app", v2.digest().toString());

        Execution full = run(policy, null);

        assertEquals(0, full.counts().total(), "a full run replicates no deletion");
        assertTrue(dst.headManifest("s2/app", "v1").isPresent());

        List<Change> deleted = List.of(new Change(Kind.DELETE, "s2/app", "v1", v1.digest().toString(), 7));
        Execution execution = run(policy, deleted);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error());
        ExecutionTask task = executions.store().tasks(execution.id(), 1, 10).items().getFirst();
        assertEquals(TaskOperation.DELETE, task.operation());
        assertEquals(TaskStatus.SUCCEEDED, task.status());
        String log = executions.store().log(execution.id(), task.id());
        assertTrue(log.contains("deleted s2/app@" + v1.digest()), log);
        assertFalse(dst.headManifest("s2/app", "v1").isPresent());
        assertTrue(dst.headManifest("s2/app", "v2").isPresent(), "only what the change names");

        Execution replay = run(policy, deleted);

        assertEquals(ExecutionStatus.SUCCEEDED, replay.status(), replay.error());
        assertEquals(1, replay.counts().skipped(), "nothing left to delete");
    }

    @Test
    void deletionChange_leavesAloneWhatTheSourceStillHas() throws Exception {
        Pushed image = images.image("s3/app", "v2", 301, 1, 5_000);
        images.image("s3/app", "v3", 302, 1, 5_000);
        long policy = policy("s3", List.of(name("s3/**")), null, true);
        assertEquals(ExecutionStatus.SUCCEEDED, run(policy, null).status());
        byte[] manifest = dst.getManifest("s3/app", "v2", 1 << 20).orElseThrow().bytes();
        dst.writer().putManifest("s3/app", "v1", image.mediaType(), manifest); // v1 and v2 share a digest there

        Execution execution = run(policy, List.of(new Change(Kind.DELETE, "s3/app", "v1", image.digest().toString(),
                8), new Change(Kind.DELETE, "s3/app", "v3", null, 9)));

        List<ExecutionTask> tasks = executions.store().tasks(execution.id(), 1, 10).items();
        assertEquals(List.of(TaskStatus.SKIPPED, TaskStatus.SKIPPED), tasks.stream().map(ExecutionTask::status)
                .toList());
        String log = executions.store().log(execution.id(), tasks.getFirst().id());
        assertTrue(log.contains("the source still has s3/app@" + image.digest()), log);
        assertTrue(executions.store().log(execution.id(), tasks.get(1).id()).contains("the source tags s3/app:v3"
                + " again"));
        assertTrue(dst.headManifest("s3/app", "v1").isPresent(), "a delete by digest would take v2 with it");
        assertTrue(dst.headManifest("s3/app", "v2").isPresent());
        assertTrue(dst.headManifest("s3/app", "v3").isPresent());
    }

    @Test
    void deletionChange_atADestinationThatDoesNotAllowDeletes_failsTheTaskSayingSo() throws Exception {
        Pushed image = images.image("s4/app", "v1", 401, 1, 5_000);
        long policy = policy("nodel-s4", List.of(name("s4/**")), null, true);
        assertEquals(ExecutionStatus.SUCCEEDED, run(policy, null).status());
        source.client().writer().deleteManifest("s4/app", image.digest().toString());

        Execution execution = run(policy, List.of(new Change(Kind.DELETE, "s4/app", "v1", image.digest().toString(),
                10)));

        assertEquals(ExecutionStatus.FAILED, execution.status());
        ExecutionTask task = executions.store().tasks(execution.id(), 1, 10).items().getFirst();
        assertEquals(1, task.attempts(), "a refusal is not tried again");
        String log = executions.store().log(execution.id(), task.id());
        assertTrue(log.contains("the destination does not allow deletes"), log);
        assertTrue(noDeletes.client().headManifest("s4/app", "v1").isPresent());
    }

    @Test
    void deletionChange_ofAPolicyThatDoesNotReplicateDeletions_plansNothing() throws Exception {
        Pushed image = images.image("s5/app", "v1", 501, 1, 5_000);
        long policy = policy("s5", List.of(name("s5/**")), null, false);
        assertEquals(ExecutionStatus.SUCCEEDED, run(policy, null).status());
        source.client().writer().deleteManifest("s5/app", image.digest().toString());

        Execution execution = run(policy, List.of(new Change(Kind.DELETE, "s5/app", "v1", image.digest().toString(),
                11)));

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(0, execution.counts().total());
        assertTrue(dst.headManifest("s5/app", "v1").isPresent());
    }

    @Test
    void theLastChangeOfAReference_wins() {
        Change pushed = copy("r/app", "v1", null);
        Change other = copy("r/app", "v2", null);
        Change deleted = new Change(Kind.DELETE, "r/app", "v1", null, 3);

        assertEquals(List.of(other, deleted), ScopedPlanner.latestPerReference(List.of(pushed, other, deleted)));
        assertEquals(List.of(deleted, other), ScopedPlanner.latestPerReference(List.of(deleted, other)));
    }

    private static Change copy(String repository, String tag, String digest) {
        return new Change(Kind.COPY, repository, tag, digest, 1);
    }

    private static PolicyFilter name(String glob) {
        return PolicyFilter.matching(FilterType.NAME, glob);
    }

    private static PolicyFilter tag(String glob, Decoration decoration) {
        return PolicyFilter.of(FilterType.TAG, List.of(glob), decoration);
    }

    private static long policy(String name, List<PolicyFilter> filters, String namespace, boolean deletions) {
        return policies.create(new PolicyDraft(name, null, sourceEndpoint, null, filters, Trigger.eventBased(),
                namespace, -1, true, deletions, true, 0, 2, true)).id();
    }

    /** Runs the policy over {@code changes} (null: everything) and waits for it to end. */
    private static Execution run(long policy, List<Change> changes) throws InterruptedException {
        ExecutionScope scope = changes == null ? ExecutionScope.everything() : ExecutionScope.of(changes);
        long id = executions.start(policy, Trigger.Type.EVENT_BASED, Caller.system("test"), scope).id();
        for (int i = 0; i < 600; i++) {
            Execution execution = executions.store().get(id);
            if (!execution.status().isActive()) {
                return execution;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + id + " did not end within a minute: " + executions.store().get(id));
    }
}
