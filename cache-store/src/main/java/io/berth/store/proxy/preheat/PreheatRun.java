package io.berth.store.proxy.preheat;

import io.berth.store.content.ContentSource;
import io.berth.store.oci.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One preheat job at work: its references one after another, each read through its proxy
 * repository's content source (manifests first, which sets the totals, then the blobs a few at a
 * time). A reference that fails is reported on its item and the others go on; the job ends
 * succeeded, partial or failed. Interrupted (Berth stopping), it stops without a verdict: the
 * stop marks it.
 */
final class PreheatRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PreheatRun.class);

    private final String project;
    private final PreheatRequest request;
    private final Function<RepositoryName, ContentSource> sources;
    private final JobProgress progress;
    private final BlobWarmer blobs;

    PreheatRun(String project, PreheatRequest request, Function<RepositoryName, ContentSource> sources,
               JobProgress progress, Executor executor, int blobsAtOnce) {
        this.project = project;
        this.request = request;
        this.sources = sources;
        this.progress = progress;
        this.blobs = new BlobWarmer(executor, blobsAtOnce, progress);
    }

    @Override
    public void run() {
        if (!progress.start()) {
            return;
        }
        List<PreheatReference> references = request.references();
        int succeeded = 0;
        try {
            for (int i = 0; i < references.size(); i++) {
                if (fetch(i, references.get(i))) {
                    succeeded++;
                }
            }
        } catch (InterruptedException e) {
            LOG.info("preheat job {} of project {} stopped before it finished", progress.jobId(), project);
            return;
        } catch (RuntimeException e) {
            LOG.error("preheat job {} of project {} failed unexpectedly", progress.jobId(), project, e);
            progress.finish(PreheatStatus.FAILED, "the job failed unexpectedly (" + e.getClass().getSimpleName()
                    + "): see the server log, and preheat again");
            return;
        }
        PreheatStatus status = succeeded == references.size() ? PreheatStatus.SUCCEEDED
                : succeeded == 0 ? PreheatStatus.FAILED : PreheatStatus.PARTIAL;
        progress.finish(status, null);
        LOG.info("preheat job {} of project {} {}: {} of {} references cached", progress.jobId(), project,
                status.wireName(), succeeded, references.size());
    }

    /** Fetches one reference; whether all of it is cached now. */
    private boolean fetch(int ordinal, PreheatReference reference) throws InterruptedException {
        progress.item(ordinal, PreheatStatus.RUNNING, null, null);
        String digest = null;
        String error;
        try {
            ContentSource source = sources.apply(reference.in(project));
            ManifestWalk.Result found = ManifestWalk.walk(source, reference.reference(), request.platforms(),
                    new ManifestWalk.Listener() {
                        @Override
                        public void found(int manifests) {
                            progress.found(manifests, 0, 0);
                        }

                        @Override
                        public void fetched() {
                            progress.cached(0, 1, 0, 0);
                        }
                    });
            digest = found.digest().toString();
            List<String> failures = blobs.warm(source, found.blobs().values());
            error = failures.isEmpty() ? null : failures.size() + " of " + found.blobs().size() + " blobs could not"
                    + " be fetched; " + failures.getFirst();
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while fetching " + reference.text());
            }
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (error != null) {
            LOG.info("preheat job {} of project {}: {} failed: {}", progress.jobId(), project, reference.text(), error);
            progress.item(ordinal, PreheatStatus.FAILED, digest, error);
            return false;
        }
        progress.item(ordinal, PreheatStatus.SUCCEEDED, digest, null);
        progress.cached(1, 0, 0, 0);
        return true;
    }
}
