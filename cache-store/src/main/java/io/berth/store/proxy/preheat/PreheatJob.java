package io.berth.store.proxy.preheat;

import java.time.Instant;
import java.util.List;

/**
 * A preheat job as the API reports it.
 *
 * @param platforms which children of an index it fetches ({@code os/arch[/variant]}); empty: all
 * @param started   when it began to run, or null while queued
 * @param finished  when it ended, or null while it runs
 * @param total     what it has to fetch, as far as it knows: references; the manifests and the distinct
 *                  blobs they reference, and the blobs' bytes, grow as it reads manifests
 * @param done      what it has cached so far; what failed is not counted
 * @param items     each reference, in the order given (empty in listings)
 * @param error     why the job as a whole failed (the instance running it stopped), or null
 */
public record PreheatJob(long id, String project, PreheatStatus status, List<String> platforms, Instant created,
                         Instant started, Instant finished, Progress total, Progress done, List<Item> items,
                         String error) {
    public PreheatJob {
        platforms = List.copyOf(platforms);
        items = List.copyOf(items);
    }

    /** This job with its items. */
    PreheatJob withItems(List<Item> items) {
        return new PreheatJob(id, project, status, platforms, created, started, finished, total, done, items, error);
    }

    /** Counts of references, manifests, blobs, and the blobs' bytes. */
    public record Progress(long references, long manifests, long blobs, long bytes) {
    }

    /**
     * One reference of the job.
     *
     * @param digest the manifest it resolved to, or null before that
     * @param error  why it failed, or null
     */
    public record Item(String reference, PreheatStatus status, String digest, String error) {
    }
}
