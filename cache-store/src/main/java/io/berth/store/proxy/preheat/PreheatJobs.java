package io.berth.store.proxy.preheat;

import io.berth.store.Inventory.Listing;
import io.berth.store.content.ProjectKind;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.berth.store.proxy.ProxyCache;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Preheat jobs of proxy projects: references fetched into the cache in the background, through
 * the cache itself ({@link ProxyCache}), so that a preheat and a client pulling the same blob share
 * one upstream fetch. A job is checked whole before it is stored (a bad reference starts nothing),
 * waits its turn (a few run at once, each fetching a few blobs at once, on virtual threads), and
 * writes its progress into the database as it goes.
 *
 * <p>Jobs are not resumed after a restart. Each instance touches the heartbeat of the jobs it runs;
 * a queued or running job whose heartbeat is older than three heartbeat intervals belonged to an
 * instance that stopped, and is marked failed (by whichever instance notices first, at its start and
 * at every heartbeat), its unfinished references with it; what it fetched stays cached. A stop marks
 * this instance's own unfinished jobs failed at once. Finished jobs are deleted after the retention
 * period. Methods block on the database: call them off the event loop.
 */
public final class PreheatJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreheatJobs.class);
    static final String ABANDONED = "the Berth instance running this job stopped before it finished (a restart?):"
            + " preheat the references again; what was fetched stays cached";
    static final String STOPPED = "Berth was stopped before this job finished: preheat the references again; what"
            + " was fetched stays cached";

    /**
     * How jobs run.
     *
     * @param jobsAtOnce  how many jobs of this instance run at the same time; the others wait, queued
     * @param blobsPerJob how many blobs one job fetches at the same time
     * @param patience    how long a job waits on the upstream for a manifest or a blob's first bytes
     * @param heartbeat   how often running jobs are marked alive (and abandoned ones looked for)
     * @param retention   how long finished jobs are kept
     * @param maxQueued   how many jobs may wait on this instance before new ones are refused
     */
    public record Options(int jobsAtOnce, int blobsPerJob, Duration patience, Duration heartbeat, Duration retention,
                          int maxQueued) {
        public Options {
            if (jobsAtOnce < 1 || blobsPerJob < 1 || maxQueued < 1 || patience.isNegative() || patience.isZero()
                    || heartbeat.isNegative() || heartbeat.isZero() || retention.isNegative()) {
                throw new IllegalArgumentException("preheat options out of range: " + this);
            }
        }

        /** Two jobs at once, four blobs each, two minutes of patience, a 30 s heartbeat, kept 7 days, 100 queued. */
        public static Options defaults() {
            return new Options(2, 4, Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofDays(7), 100);
        }
    }

    /** Writes the creation of a job into the audit log, in the transaction that stores it. */
    @FunctionalInterface
    public interface SubmitAudit {
        void record(Handle handle, PreheatJob job);
    }

    private final Transactions tx;
    private final ProxyCache proxy;
    private final Options options;
    private final Clock clock;
    private final String owner;
    private final Semaphore jobSlots;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-preheat-", 0).factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-preheat-heartbeat").daemon().factory());

    /** @param owner this instance, unique among those sharing the database */
    public PreheatJobs(Transactions tx, ProxyCache proxy, Options options, Clock clock, String owner) {
        this.tx = tx;
        this.proxy = proxy;
        this.options = options;
        this.clock = clock;
        this.owner = owner;
        this.jobSlots = new Semaphore(options.jobsAtOnce(), true);
    }

    /** Marks jobs abandoned by stopped instances failed, now and at every heartbeat. */
    public void start() {
        sweep();
        long every = options.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn("preheat heartbeat failed; will try again in {}", options.heartbeat(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stores a job for {@code project} and queues it. NO_SUCH_RESOURCE for an unknown project,
     * INVALID_INPUT for a local project and for a reference the project's allowlist refuses (naming
     * it; nothing is stored), UNAVAILABLE when too many jobs wait already.
     */
    public PreheatJob submit(String project, PreheatRequest request, SubmitAudit audit) {
        long projectId = requireProxy(project);
        Set<RepositoryName> checked = new HashSet<>();
        for (PreheatReference reference : request.references()) {
            RepositoryName name = reference.in(project);
            if (checked.add(name)) {
                check(reference, name);
            }
        }
        if (tx.withHandle(h -> h.attach(PreheatDao.class).queued(owner)) >= options.maxQueued()) {
            throw RegistryException.retryLater(ErrorCode.UNAVAILABLE, options.maxQueued() + " preheat jobs are"
                    + " waiting already: submit this one when some have finished", Duration.ofSeconds(60));
        }
        Instant now = clock.instant();
        List<PreheatReference> references = request.references();
        PreheatJob job = tx.inTransaction(h -> {
            PreheatDao dao = h.attach(PreheatDao.class);
            dao.deleteFinishedBefore(now.minus(options.retention()));
            long id = dao.insertJob(projectId, request.platforms().isEmpty() ? null : String.join("\n",
                    request.platforms().stream().map(Platform::toString).toList()), owner, now, references.size());
            dao.insertItems(id, IntStream.range(0, references.size()).boxed().toList(),
                    references.stream().map(PreheatReference::text).toList());
            PreheatJob stored = dao.find(id).orElseThrow().withItems(dao.items(id));
            audit.record(h, stored);
            return stored;
        });
        JobProgress progress = new JobProgress(tx, job.id(), owner, clock);
        PreheatRun run = new PreheatRun(project, request, name -> proxy.source(name, options.patience()), progress,
                workers, options.blobsPerJob());
        try {
            workers.execute(() -> runInTurn(run));
        } catch (RejectedExecutionException e) {
            progress.finish(PreheatStatus.FAILED, STOPPED);
            throw RegistryException.retryLater(ErrorCode.UNAVAILABLE, "Berth is stopping: submit the preheat again"
                    + " once it is back", Duration.ofSeconds(5));
        }
        return job;
    }

    /** How jobs run. */
    public Options options() {
        return options;
    }

    /** A job with its items, or empty. */
    public Optional<PreheatJob> find(long id) {
        return tx.withHandle(h -> {
            PreheatDao dao = h.attach(PreheatDao.class);
            return dao.find(id).map(job -> job.withItems(dao.items(id)));
        });
    }

    /** A page of a project's jobs, newest first, without their items; NO_SUCH_RESOURCE for an unknown project. */
    public Listing<PreheatJob> list(String project, int page, int pageSize) {
        return tx.withHandle(h -> {
            long projectId = h.attach(ProjectDao.class).findId(project).orElseThrow(() -> noProject(project));
            PreheatDao dao = h.attach(PreheatDao.class);
            return new Listing<>(dao.list(projectId, pageSize, (long) (page - 1) * pageSize), dao.count(projectId));
        });
    }

    /**
     * Marks this instance's jobs alive, fails those whose instance stopped, and deletes finished jobs
     * past the retention period. Called at start and at every heartbeat.
     */
    public void sweep() {
        Instant now = clock.instant();
        Instant abandonedBefore = now.minus(options.heartbeat().multipliedBy(3));
        int[] failed = new int[1];
        tx.useTransaction(h -> {
            PreheatDao dao = h.attach(PreheatDao.class);
            dao.heartbeat(owner, now);
            dao.failItemsOfAbandoned(abandonedBefore, ABANDONED);
            failed[0] = dao.failAbandoned(abandonedBefore, ABANDONED, now);
            dao.deleteFinishedBefore(now.minus(options.retention()));
        });
        if (failed[0] > 0) {
            LOG.warn("{} preheat jobs were left unfinished by a Berth instance that stopped; marked them failed",
                    failed[0]);
        }
    }

    /** Stops running jobs (they end failed, saying Berth stopped) and the heartbeat. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("preheat jobs did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            tx.useTransaction(h -> {
                PreheatDao dao = h.attach(PreheatDao.class);
                dao.failItemsOf(owner, STOPPED);
                dao.failJobsOf(owner, STOPPED, clock.instant());
            });
        } catch (RuntimeException e) {
            LOG.warn("could not mark this instance's unfinished preheat jobs failed; other instances will", e);
        }
    }

    private void runInTurn(PreheatRun run) {
        try {
            jobSlots.acquire();
        } catch (InterruptedException e) {
            return; // stopping: close() marks the job
        }
        try {
            run.run();
        } finally {
            jobSlots.release();
        }
    }

    private long requireProxy(String project) {
        return tx.withHandle(h -> {
            ProjectDao projects = h.attach(ProjectDao.class);
            long id = projects.findId(project).orElseThrow(() -> noProject(project));
            if (ProjectKind.fromDb(projects.kind(project).orElse(null)) != ProjectKind.PROXY) {
                throw new RegistryException(ErrorCode.INVALID_INPUT, "project '" + project + "' is a local project:"
                        + " preheat is for proxy projects, which fetch from an upstream registry; push to a local"
                        + " project instead");
            }
            return id;
        });
    }

    /** The proxy's own check of a name (its allowlist); a refusal names the reference. */
    private void check(PreheatReference reference, RepositoryName name) {
        try {
            proxy.resolve(name);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NAME_UNKNOWN) {
                throw new RegistryException(ErrorCode.INVALID_INPUT, "reference '" + reference.text() + "' cannot be"
                        + " preheated: " + e.getMessage());
            }
            throw e;
        }
    }

    private static RegistryException noProject(String project) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + project + "'");
    }
}
