package io.berth.store.proxy.preheat;

import io.berth.store.meta.ProjectDao;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.berth.store.proxy.FakeUpstream.GET_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What becomes of jobs when instances stop: a stopped instance's unfinished jobs are failed (by
 * another instance once their heartbeat is old, or by the instance itself as it stops), a live
 * instance's are left alone, and finished jobs go after the retention period; on both databases.
 */
@OnH2AndPostgres
class PreheatRestartTest extends PreheatTestBase {
    PreheatRestartTest(TestDatabase database) {
        super(database);
    }

    /** A job of {@code owner} stored as that instance left it: running, its first reference done, the second not. */
    private long runningJobOf(String owner) {
        Instant now = clock.instant();
        return registry.transactions().inTransaction(h -> {
            PreheatDao dao = h.attach(PreheatDao.class);
            long project = h.attach(ProjectDao.class).findId(PROJECT).orElseThrow();
            long id = dao.insertJob(project, null, owner, now, 2);
            dao.insertItems(id, List.of(0, 1), List.of(REPO + ":1", REPO + ":2"));
            dao.start(id, owner, now);
            dao.updateItem(id, 0, "succeeded", "sha256:" + "a".repeat(64), null);
            dao.updateItem(id, 1, "running", null, null);
            return id;
        });
    }

    @Test
    void aStart_failsTheJobsOfAnInstanceThatStopped_butLeavesALiveInstancesJobsRunning() {
        long abandoned = runningJobOf("gone");
        clock.advance(Duration.ofMinutes(2));
        long alive = runningJobOf("alive");

        jobs("restarted").start();

        PreheatJob failed = jobs.find(abandoned).orElseThrow();
        assertEquals(PreheatStatus.FAILED, failed.status(), failed.toString());
        assertTrue(failed.error().contains("stopped before it finished"), failed.error());
        assertNotNull(failed.finished());
        assertEquals(PreheatStatus.SUCCEEDED, failed.items().get(0).status(), "what was done stays done");
        assertEquals(PreheatStatus.FAILED, failed.items().get(1).status());
        assertEquals(PreheatJobs.ABANDONED, failed.items().get(1).error());
        PreheatJob running = jobs.find(alive).orElseThrow();
        assertEquals(PreheatStatus.RUNNING, running.status(), running.toString());
        assertNull(running.error());
    }

    @Test
    void aLiveInstancesHeartbeat_keepsItsJobFromBeingFailed_whileTime_passes() throws Exception {
        CountDownLatch stalled = upstream.stall(GET_MANIFEST);
        CountDownLatch entered = upstream.enteredLatch(GET_MANIFEST);
        upstreamImage(REPO, "1", image("slow"));
        long id = submit(List.of(REPO + ":1"), null).id();
        entered.await();
        PreheatJobs other = jobs("other");

        for (int beat = 0; beat < 4; beat++) {
            clock.advance(Duration.ofSeconds(30));
            jobs.sweep();
            other.sweep();
        }

        assertEquals(PreheatStatus.RUNNING, jobs.find(id).orElseThrow().status());
        stalled.countDown();
        assertEquals(PreheatStatus.SUCCEEDED, awaitFinished(id).status());
    }

    @Test
    void aStop_failsThisInstancesUnfinishedJobs_sayingBerthStopped() throws Exception {
        upstream.stall(GET_MANIFEST);
        CountDownLatch entered = upstream.enteredLatch(GET_MANIFEST);
        upstreamImage(REPO, "1", image("stopped"));
        long running = submit(List.of(REPO + ":1", REPO + ":2"), null).id();
        entered.await();

        jobs.close();

        PreheatJob job = jobs.find(running).orElseThrow();
        assertEquals(PreheatStatus.FAILED, job.status(), job.toString());
        assertEquals(PreheatJobs.STOPPED, job.error());
        assertTrue(job.items().stream().allMatch(item -> item.status() == PreheatStatus.FAILED
                && PreheatJobs.STOPPED.equals(item.error())), job.toString());
    }

    @Test
    void finishedJobs_areDeletedAfterTheRetentionPeriod_withTheirItems() throws Exception {
        upstreamImage(REPO, "1", image("old"));
        long old = awaitFinished(submit(List.of(REPO + ":1"), null).id()).id();
        clock.advance(OPTIONS.retention().plusMinutes(1));

        long fresh = submit(List.of(REPO + ":1"), null).id();

        assertTrue(jobs.find(old).isEmpty());
        assertEquals(0, count("SELECT COUNT(*) FROM preheat_item WHERE job_id = " + old));
        assertEquals(PreheatStatus.SUCCEEDED, awaitFinished(fresh).status());
    }
}
