package io.berth.sync.execution;

import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.RegistryClient;
import io.berth.sync.execution.SourceImages.Pushed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.berth.sync.execution.DestinationFaultsTest.readBack;
import static io.berth.sync.execution.FaultBench.log;
import static io.berth.sync.execution.FaultBench.run;
import static io.berth.sync.execution.FaultBench.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection cut in the middle of a 3 MiB blob's copy between two real CNCF Distributions, each
 * behind a {@link RegistryLink}: on the way to the destination the upload goes on from the offset
 * the destination reports, and on the way from the source the source is read again from the byte
 * where it broke while the upload goes on undisturbed; either way the task succeeds in its first
 * try, the blob is sent about once, and it reads back with its digest.
 */
class BlobCutsTest {
    private static final int BIG = 3 << 20;
    private static final long CHUNK = FaultBench.PUSH.chunkSize();

    @TempDir
    Path dir;
    private FaultBench bench;
    private LocalDistribution source;
    private LocalDistribution destination;
    private RegistryLink fromSource;
    private RegistryLink toDestination;
    private Executions executions;
    private Pushed image;
    private long policy;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        source = LocalDistribution.start(dir.resolve("a"), true, 1);
        destination = LocalDistribution.start(dir.resolve("b"), true, 2);
        fromSource = new RegistryLink(source.url());
        toDestination = new RegistryLink(destination.url());
        bench = new FaultBench();
        executions = bench.executions(bench.client("site-a", 1, fromSource.url()),
                bench.client("site-b", 2, toDestination.url()), FaultBench.QUICK);
        image = new SourceImages(source.client()).image("cut/app", "v1", 4, 1, BIG);
        policy = bench.policy("cut", "cut/**", 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{bench, fromSource, toDestination, source, destination}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void chunkCutOffOnTheWayToTheDestination_goesOnFromTheOffsetTheDestinationReports() throws Exception {
        toDestination.cutNextRequestAfter(BIG / 2 + 100_000, "PATCH ");

        Execution execution = run(executions, policy);

        assertTrue(toDestination.didCut());
        String log = log(executions, execution.id(), "cut/app");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), log);
        ExecutionTask task = task(executions, execution.id(), "cut/app");
        assertEquals(1, task.attempts(), "the upload recovered within the task's first try: " + log);
        assertTrue(log.contains("resumed 1 times"), log);
        // Sent again from byte 0, about 1.6 times the blob would go; resumed, at most one chunk more than it.
        assertTrue(task.bytes() < BIG + 2 * CHUNK, "bytes sent " + task.bytes() + " for a blob of " + BIG);
        assertTrue(toDestination.clientBytes() < BIG + 2 * CHUNK, "through the link: " + toDestination.clientBytes());
        assertArrivedWhole();
    }

    /**
     * Distribution 2.8 keeps the bytes of a chunk broken off mid-body but not its signed upload state,
     * and then refuses the session ("upload resumed at wrong offset"): the upload starts again in a
     * new session, within the same try, and the blob still arrives whole.
     */
    @Test
    void connectionCutInTheMiddleOfAChunk_isRecoveredInANewSession_andTheBlobArrivesWhole() throws Exception {
        toDestination.cutRequestsAfter(BIG * 3L / 4 + 100_000);

        Execution execution = run(executions, policy);

        assertTrue(toDestination.didCut());
        String log = log(executions, execution.id(), "cut/app");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), log);
        assertEquals(1, task(executions, execution.id(), "cut/app").attempts(), log);
        assertTrue(log.contains("resumed 1 times"), log);
        assertArrivedWhole();
    }

    @Test
    void sourceCutMidBlob_isReadAgainFromThatByte_andTheUploadGoesOnUndisturbed() throws Exception {
        fromSource.cutAnswersAfter(BIG / 2);

        Execution execution = run(executions, policy);

        assertTrue(fromSource.didCut());
        String log = log(executions, execution.id(), "cut/app");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), log);
        assertEquals(1, task(executions, execution.id(), "cut/app").attempts(), "not tried again: " + log);
        assertFalse(log.contains("resumed"), "the destination's upload never broke: " + log);
        assertTrue(toDestination.clientBytes() < BIG + CHUNK, "the blob went once: " + toDestination.clientBytes());
        assertArrivedWhole();
    }

    private void assertArrivedWhole() throws Exception {
        RegistryClient dst = destination.client();
        assertEquals(image.digest(), dst.headManifest("cut/app", "v1").orElseThrow().digest());
        assertEquals(image.layers().getFirst(), readBack(dst, "cut/app", image.layers().getFirst()));
    }
}
