package io.berth.sync.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.Caller;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.testing.TestDatabases;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.store.upstream.Upstream.Manifest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions between two real CNCF Distributions (2.8, which has no referrers API), the second one
 * playing "this Berth" (the destination of a pull policy): what arrives reads back with the
 * source's digests, filters and namespace rewriting hold, a second run transfers nothing, a stop
 * under a bandwidth limit ends the execution, a source serving corrupt bytes tags nothing (and the
 * bytes the failed task sent are counted), and an index the platform filter leaves sparse is
 * rewritten for a destination that refuses it when the policy says so.
 */
class RemoteReplicationTest {
    private static LocalDistribution source;
    private static LocalDistribution destination;
    private static RegistryClient dst;
    private static SourceImages images;
    private static Policies policies;
    private static Executions executions;
    private static long sourceEndpoint;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        source = LocalDistribution.start(dir.resolve("a"), true, 1);
        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        dst = destination.client();
        images = new SourceImages(source.client());
        Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
        Clock clock = Clock.systemUTC();
        sourceEndpoint = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock)
                .create(new EndpointDraft("site-a", RegistryEndpoint.Type.V2, List.of(source.url().toString()),
                        false, null, null, null)).id();
        policies = new Policies(tx, clock);
        ReplicationEndpoints ends = policy -> new ReplicationEndpoints.Ends(
                new ReplicationEndpoints.Side("site-a", source.client(), source.client().writer(), null),
                new ReplicationEndpoints.Side("this Berth", dst, dst.writer(), null));
        executions = new Executions(new ExecutionStore(tx, clock, "test"), policies, ends,
                new Executions.Options(2, Duration.ofMillis(50), Duration.ofSeconds(30),
                        PushOptions.defaults().withChunks(PushOptions.MIN_CHUNK_SIZE, 256 * 1024)), clock);
    }

    @AfterAll
    static void stop() throws Exception {
        if (executions != null) {
            executions.close();
        }
        if (source != null) {
            source.close();
        }
        if (destination != null) {
            destination.close();
        }
    }

    @Test
    void multiLayerImage_arrivesWithItsDigest_andASecondRunTransfersNoBlob() throws Exception {
        Pushed image = images.image("t1/app", "v1", 1, 3, 200_000);
        long policy = policy("t1", List.of(name("t1/**")), null, 0);

        Execution first = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, first.status(), first.error());
        assertEquals(1, first.counts().succeeded());
        assertTrue(first.counts().bytes() >= 600_000, "three layers sent: " + first.counts().bytes());
        assertEquals(image.digest(), dst.headManifest("t1/app", "v1").orElseThrow().digest());
        for (var layer : image.layers()) {
            assertEquals(200_000, dst.headBlob("t1/app", layer).orElseThrow());
        }

        Execution second = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, second.status());
        assertEquals(new Execution.Counts(1, 0, 0, 0, 1, 0), second.counts(), "skipped, nothing sent");
        ExecutionTask task = executions.store().tasks(second.id(), 1, 10).items().getFirst();
        assertTrue(executions.store().log(second.id(), task.id()).contains("points at " + image.digest()
                + " already"));
    }

    @Test
    void platformFilter_copiesTheSelectedChildrenOnly_andADestinationRefusingTheSparseIndexFailsTheTaskSayingWhy()
            throws Exception {
        Pushed amd64 = images.image("t2/multi", null, 21, 1, 50_000);
        Pushed arm64 = images.image("t2/multi", null, 22, 1, 50_000);
        Pushed index = images.index("t2/multi", "v1", List.of(amd64, arm64), List.of("linux/amd64", "linux/arm64"));
        long policy = policy("t2", List.of(name("t2/**"), PolicyFilter.of(FilterType.PLATFORM,
                List.of("linux/arm64"), null)), null, 0);

        Execution execution = run(policy);

        assertTrue(dst.headManifest("t2/multi", arm64.digest().toString()).isPresent(), "the selected child");
        assertFalse(dst.headManifest("t2/multi", amd64.digest().toString()).isPresent(), "not the other");
        ExecutionTask task = executions.store().tasks(execution.id(), 1, 10).items().getFirst();
        String log = executions.store().log(execution.id(), task.id());
        assertTrue(log.contains("copying 1 of 2 children"), log);
        // Distribution 2.8 refuses an index whose children it lacks: the task says so, and nothing is tagged.
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertTrue(log.contains("without the children the platform filter left out"), log);
        assertEquals(1, task.attempts(), "a refusal is not tried again");
        assertFalse(dst.headManifest("t2/multi", "v1").isPresent());
        assertFalse(dst.headManifest("t2/multi", index.digest().toString()).isPresent());
    }

    @Test
    void rewriteSparseIndex_pushesAnIndexOfTheSelectedChildren_whichTheDestinationAccepts_andTheLogNamesBothDigests()
            throws Exception {
        Pushed amd64 = images.image("t7/multi", null, 71, 1, 20_000);
        Pushed arm64 = images.image("t7/multi", null, 72, 1, 20_000);
        Pushed armV7 = images.image("t7/multi", null, 73, 1, 20_000);
        Pushed index = images.index("t7/multi", "v1", List.of(amd64, arm64, armV7),
                List.of("linux/amd64", "linux/arm64", "linux/arm/v7"));
        long policy = policies.create(new PolicyDraft("t7", null, sourceEndpoint, null, List.of(name("t7/**"),
                PolicyFilter.of(FilterType.PLATFORM, List.of("linux/arm64", "linux/arm/v7"), null)), Trigger.manual(),
                null, -1, true, false, true, 0, 2, true, true)).id();

        Execution execution = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error());
        Manifest there = dst.getManifest("t7/multi", "v1", 1 << 20).orElseThrow();
        assertNotEquals(index.digest(), there.digest(), "a rewritten index has a digest of its own");
        assertEquals(Digest.sha256(there.bytes()), there.digest(), "the tag serves the bytes of its digest");
        JsonNode json = new ObjectMapper().readTree(there.bytes());
        assertEquals(SourceImages.INDEX, json.path("mediaType").asText(), "same media type");
        List<String> children = new ArrayList<>();
        json.path("manifests").forEach(child -> children.add(child.path("digest").asText()));
        assertEquals(List.of(arm64.digest().toString(), armV7.digest().toString()), children,
                "the selected children, in the source's order, under the source's digests");
        for (String child : children) {
            Manifest copied = dst.getManifest("t7/multi", child, 1 << 20).orElseThrow();
            assertEquals(child, copied.digest().toString(), "each child reads back with its source digest");
        }
        assertEquals("linux", json.path("manifests").get(1).path("platform").path("os").asText());
        assertEquals("v7", json.path("manifests").get(1).path("platform").path("variant").asText());
        assertFalse(dst.headManifest("t7/multi", amd64.digest().toString()).isPresent(), "the left-out child");
        ExecutionTask task = executions.store().tasks(execution.id(), 1, 10).items().getFirst();
        assertEquals(index.digest().toString(), task.digest(), "the task names the source's artifact");
        String log = executions.store().log(execution.id(), task.id());
        assertTrue(log.contains("index rewritten: source " + index.digest() + " → destination " + there.digest()),
                log);

        Execution second = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, second.status(), second.error());
        assertEquals(new Execution.Counts(1, 0, 0, 0, 1, 0), second.counts(), "nothing changed, nothing sent");
    }

    @Test
    void referrer_isCopiedAfterItsSubject_throughTheFallbackTag() throws Exception {
        Pushed image = images.image("t3/app", "v1", 3, 1, 10_000);
        Pushed sbom = images.referrer("t3/app", image);
        long policy = policy("t3", List.of(name("t3/**"), tag("v*", Decoration.MATCHES)), null, 0);

        Execution execution = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error());
        assertEquals(1, execution.counts().total(), "the fallback tag is not a task of its own here");
        assertTrue(dst.headManifest("t3/app", sbom.digest().toString()).isPresent());
        assertTrue(dst.headBlob("t3/app", sbom.layers().getFirst()).isPresent());
        assertTrue(dst.headManifest("t3/app", "sha256-" + image.digest().hex()).isPresent());
    }

    @Test
    void excludedTags_stayBehind_andTheNamespaceIsRewritten() throws Exception {
        Pushed v1 = images.image("t4/team/app", "v1", 41, 1, 5_000);
        images.image("t4/team/app", "v2", 42, 1, 5_000);
        images.image("t4/team/app", "dev", 43, 1, 5_000);
        long policy = policy("t4", List.of(name("t4/**"), tag("dev", Decoration.EXCLUDES)), "mirror4", 0);

        Execution execution = run(policy);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error());
        assertEquals(2, execution.counts().succeeded());
        assertEquals(v1.digest(), dst.headManifest("mirror4/app", "v1").orElseThrow().digest());
        assertTrue(dst.headManifest("mirror4/app", "v2").isPresent());
        assertFalse(dst.headManifest("mirror4/app", "dev").isPresent());
        assertEquals(List.of("mirror4/app"), executions.store().tasks(execution.id(), 1, 10).items().stream()
                .map(ExecutionTask::destRepository).distinct().toList());
    }

    @Test
    void stopUnderABandwidthLimit_endsTheExecution_andTagsNothing() throws Exception {
        images.image("t5/big", "v1", 5, 1, 4 << 20);
        long policy = policy("t5", List.of(name("t5/**")), null, 16); // 4 MiB at 16 KiB/s: over four minutes
        Execution started = executions.start(policy, Trigger.Type.MANUAL);
        awaitTaskRunning(started.id());

        executions.stop(started.id(), Caller.system("test"));
        Execution stopped = awaitEnd(started.id());

        assertEquals(ExecutionStatus.STOPPED, stopped.status());
        assertEquals(1, stopped.counts().stopped());
        assertFalse(dst.headManifest("t5/big", "v1").isPresent());
    }

    @Test
    void blobWhoseBytesAreNotItsDigest_failsTheTask_andTagsNothing() throws Exception {
        Pushed image = images.image("t6/app", "v1", 6, 2, 100_000);
        Path corrupt = source.blobFile(image.layers().getLast());
        byte[] other = new byte[100_000];
        new Random(99).nextBytes(other);
        Files.write(corrupt, other);
        long policy = policy("t6", List.of(name("t6/**")), null, 0);

        Execution execution = run(policy);

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals(1, execution.counts().failed());
        ExecutionTask task = executions.store().tasks(execution.id(), 1, 10).items().getFirst();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals(1, task.attempts(), "corrupt bytes are not tried again");
        assertTrue(task.bytes() >= 100_000, "the good layer and what was sent of the bad one count: " + task.bytes());
        assertEquals(task.bytes(), execution.counts().bytes(), "the execution counts them too");
        assertFalse(dst.headManifest("t6/app", "v1").isPresent());
        assertFalse(dst.headBlob("t6/app", image.layers().getLast()).isPresent());
    }

    private static PolicyFilter name(String glob) {
        return PolicyFilter.matching(FilterType.NAME, glob);
    }

    private static PolicyFilter tag(String glob, Decoration decoration) {
        return PolicyFilter.of(FilterType.TAG, List.of(glob), decoration);
    }

    private static long policy(String name, List<PolicyFilter> filters, String namespace, long kibps) {
        return policies.create(new PolicyDraft(name, null, sourceEndpoint, null, filters, Trigger.manual(), namespace,
                -1, true, false, true, kibps, 2, true)).id();
    }

    private static Execution run(long policy) throws InterruptedException {
        return awaitEnd(executions.start(policy, Trigger.Type.MANUAL).id());
    }

    /** Waits for the execution to end; a minute is far more than any of these needs. */
    private static Execution awaitEnd(long id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Execution execution = executions.store().get(id);
            if (!execution.status().isActive()) {
                return execution;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + id + " did not end within a minute: " + executions.store().get(id));
    }

    private static void awaitTaskRunning(long id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (executions.store().tasks(id, 1, 10).items().stream()
                    .anyMatch(t -> t.status() == TaskStatus.RUNNING)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no task of execution " + id + " started within a minute");
    }
}
