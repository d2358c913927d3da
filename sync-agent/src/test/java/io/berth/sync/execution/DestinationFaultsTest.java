package io.berth.sync.execution;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.sync.execution.SourceImages.Pushed;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

import static io.berth.sync.execution.FaultBench.awaitEnd;
import static io.berth.sync.execution.FaultBench.log;
import static io.berth.sync.execution.FaultBench.run;
import static io.berth.sync.execution.FaultBench.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions whose destination, a real CNCF Distribution reached through a {@link RegistryLink},
 * fails: stopped in the middle of a transfer (the task in flight and those after it fail, after
 * their retries, saying which registry; what was copied before stays; the execution ends Partial;
 * once the destination is back a second run sends only what is missing.
 */
class DestinationFaultsTest {
    private static final int BIG = 3 << 20;

    @TempDir
    Path dir;
    private FaultBench bench;
    private LocalDistribution source;
    private LocalDistribution destination;
    private RegistryLink link;
    private SourceImages images;
    private Executions executions;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        source = LocalDistribution.start(dir.resolve("a"), true, 1);
        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        link = new RegistryLink(destination.url());
        images = new SourceImages(source.client());
        bench = new FaultBench();
        executions = bench.executions(bench.client("site-a", 1, source.url()),
                bench.client("site-b", 2, link.url()), FaultBench.QUICK);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{bench, link, source, destination}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void destinationStoppedMidTransfer_failsTheTasksNamingIt_keepsWhatWasCopied_andTheNextRunSendsOnlyWhatIsMissing()
            throws Exception {
        Pushed before = images.image("down/a", "v1", 1, 1, 20_000);
        // An image's blobs go up side by side: its small layer arrives while the big one is still going.
        Pushed cut = images.imageOfSizes("down/b", "v1", 2, 200_000, BIG);
        Pushed after = images.image("down/c", "v1", 3, 1, 20_000);
        long policy = bench.policy("down", "down/**", 1024); // 3 MiB at 1 MiB/s: the big layer is still going
        long first = executions.start(policy, Trigger.Type.MANUAL).id();
        RegistryClient dst = destination.client();
        FaultBench.await(() -> held(dst, "down/b", cut.layers().getFirst()), "the small layer at the destination");
        long sentBefore = link.clientBytes();
        FaultBench.await(() -> link.clientBytes() > sentBefore + 256 * 1024, "the big layer under way");

        link.down();
        destination.close();
        Execution stopped = awaitEnd(executions, first);

        assertEquals(ExecutionStatus.PARTIAL, stopped.status(), stopped.error());
        assertEquals(new Execution.Counts(3, 1, 2, 0, 0, stopped.counts().bytes()), stopped.counts());
        assertEquals(TaskStatus.SUCCEEDED, task(executions, first, "down/a").status());
        for (String failed : new String[]{"down/b", "down/c"}) {
            ExecutionTask task = task(executions, first, failed);
            String log = log(executions, first, failed);
            assertEquals(TaskStatus.FAILED, task.status(), log);
            assertEquals(3, task.attempts(), "tried again with backoff: " + log);
            assertTrue(log.contains("attempt 1 failed") && log.contains("trying again"), log);
            assertTrue(log.contains("registry 'site-b'") || log.contains("upstream 'site-b'"),
                    "the log names the destination: " + log);
        }

        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        link.up(destination.url());
        RegistryClient back = destination.client();
        assertEquals(before.digest(), back.headManifest("down/a", "v1").orElseThrow().digest(), "what was copied stays");
        assertFalse(back.headManifest("down/b", "v1").isPresent(), "nothing tagged half-way");

        Execution second = run(executions, policy);

        assertEquals(ExecutionStatus.SUCCEEDED, second.status(), second.error());
        assertEquals(TaskStatus.SKIPPED, task(executions, second.id(), "down/a").status());
        ExecutionTask resent = task(executions, second.id(), "down/b");
        assertEquals(BIG, resent.bytes(), "only the layer that did not arrive: " + log(executions, second.id(),
                "down/b"));
        assertEquals(cut.digest(), back.headManifest("down/b", "v1").orElseThrow().digest());
        assertEquals(after.digest(), back.headManifest("down/c", "v1").orElseThrow().digest());
        for (Digest layer : cut.layers()) {
            assertEquals(layer, readBack(back, "down/b", layer));
        }
    }

    private static boolean held(RegistryClient registry, String repository, Digest blob) {
        try {
            return registry.headBlob(repository, blob).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    /** The digest of the blob's bytes as the registry serves them. */
    static Digest readBack(RegistryClient registry, String repository, Digest digest) throws Exception {
        MessageDigest hash = MessageDigest.getInstance("SHA-256");
        try (BlobStream blob = registry.getBlob(repository, digest, 0).orElseThrow();
             InputStream in = new DigestInputStream(blob.body(), hash)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(Digest.Algorithm.SHA256, hash.digest());
    }
}
