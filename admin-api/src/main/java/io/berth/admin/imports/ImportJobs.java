package io.berth.admin.imports;

import io.berth.admin.LocalRegistry;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveFormats;
import io.berth.store.transfer.imports.ArchiveImporter;
import io.berth.store.transfer.imports.ImportRequest;
import io.berth.store.transfer.imports.ImportResult;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.UpstreamClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The server-side imports: each spooled archive is imported on a virtual thread of its own, through
 * this Berth's registry port ({@link LocalRegistry}) with the caller's own credentials, so that the
 * pushes go through the gateway's push path (authentication, roles, audit, events, replication
 * triggers) as any client's do. The spooled file is deleted when its job ends. Jobs live in memory (the last
 * {@value #KEPT} finished ones are kept; a restart forgets them, and an import cut short by a
 * restart is simply run again: what arrived is skipped).
 */
public final class ImportJobs implements AutoCloseable {
    static final int KEPT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);

    private final ImportSpool spool;
    private final LocalRegistry registry;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, ImportJob> jobs = new ConcurrentHashMap<>();
    private final List<Thread> running = new ArrayList<>();

    /** @param registry this Berth's registry port, which the imported images are pushed to */
    public ImportJobs(ImportSpool spool, LocalRegistry registry, Clock clock) {
        this.spool = spool;
        this.registry = registry;
        this.clock = clock;
    }

    public ImportSpool spool() {
        return spool;
    }

    /**
     * Starts importing the spooled {@code archive} (opened already, and closed and deleted by the job)
     * as {@code createdBy}, signing in to the registry with {@code credential} (null: none).
     */
    public ImportJob submit(ImportSpool.Spooled archive, ArchiveContent content, ImportRequest request,
                            String createdBy, Credential credential) {
        ImportJob job = new ImportJob(ids.incrementAndGet(), createdBy, request, archive.name(), archive.bytes(), clock);
        jobs.put(job.id(), job);
        forgetOld();
        Thread thread = Thread.ofVirtual().name("berth-import-" + job.id()).unstarted(() -> run(job, archive, content,
                request, credential));
        synchronized (running) {
            running.add(thread);
        }
        thread.start();
        return job;
    }

    private void run(ImportJob job, ImportSpool.Spooled archive, ArchiveContent content, ImportRequest request,
                     Credential credential) {
        RegistryEndpoint self = registry.endpoint("this Berth", credential, "a server-side import");
        try (content; RegistryClient client = new RegistryClient(self, UpstreamClients.Options.defaults())) {
            ArchiveImporter importer = new ArchiveImporter(client, client.writer(), "this Berth", PushOptions.defaults());
            ImportResult result = importer.importArchive(content, request, job);
            job.finished(result);
        } catch (IOException | RuntimeException e) {
            LOG.warn("import {} failed", job.id(), e);
            job.failed("the import stopped (" + e.getMessage() + "); run it again: what arrived is skipped");
        } finally {
            spool.delete(archive);
            synchronized (running) {
                running.remove(Thread.currentThread());
            }
        }
    }

    public Optional<ImportJob> find(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The jobs {@code visible} lets through, newest first. */
    public List<ImportJob> list(Predicate<ImportJob> visible) {
        try (Stream<ImportJob> all = jobs.values().stream()) {
            return all.filter(visible).sorted(Comparator.comparingLong(ImportJob::id).reversed()).toList();
        }
    }

    private void forgetOld() {
        List<ImportJob> finished = jobs.values().stream().filter(j -> !j.running())
                .sorted(Comparator.comparingLong(ImportJob::id)).toList();
        for (int i = 0; i < finished.size() - KEPT; i++) {
            jobs.remove(finished.get(i).id());
        }
    }

    /** Interrupts the running imports and waits a little for them (their spooled files are deleted). */
    @Override
    public void close() {
        List<Thread> threads;
        synchronized (running) {
            threads = List.copyOf(running);
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
