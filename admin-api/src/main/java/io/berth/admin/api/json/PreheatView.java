package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.store.proxy.preheat.PreheatJob;

import java.time.Instant;
import java.util.List;

/**
 * A preheat job as the API shows it: where it stands, what it has to fetch ({@code total}, which
 * grows as it reads manifests) and what it has cached ({@code done}), and each reference's outcome
 * ({@code items}, left out of listings).
 */
public record PreheatView(long id, String project, String status, List<String> platforms, Instant created,
                          Instant started, Instant finished, Counts total, Counts done,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<Item> items, String error) {
    /** References, manifests, distinct blobs, and the blobs' bytes. */
    public record Counts(long references, long manifests, long blobs, long bytes) {
        static Counts of(PreheatJob.Progress progress) {
            return new Counts(progress.references(), progress.manifests(), progress.blobs(), progress.bytes());
        }
    }

    /** One reference: its status, the manifest digest it resolved to, and why it failed. */
    public record Item(String reference, String status, String digest, String error) {
    }

    /** The job, with its items when {@code withItems}. */
    public static PreheatView of(PreheatJob job, boolean withItems) {
        return new PreheatView(job.id(), job.project(), job.status().wireName(), job.platforms(), job.created(),
                job.started(), job.finished(), Counts.of(job.total()), Counts.of(job.done()),
                withItems ? job.items().stream().map(i -> new Item(i.reference(), i.status().wireName(), i.digest(),
                        i.error())).toList() : null, job.error());
    }
}
