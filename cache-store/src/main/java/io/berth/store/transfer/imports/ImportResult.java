package io.berth.store.transfer.imports;

import java.util.List;

/**
 * What an import of one archive came to, per image.
 *
 * @param archive the archive, for messages
 * @param dryRun  whether nothing was pushed (counts then say what would have been)
 * @param images  one result per image, in the archive's order
 */
public record ImportResult(String archive, boolean dryRun, List<ImageResult> images) {
    public ImportResult {
        images = List.copyOf(images);
    }

    /** Whether any image failed (or was not tried after one did). */
    public boolean failed() {
        return images.stream().anyMatch(i -> i.status() == Status.FAILED || i.status() == Status.NOT_TRIED);
    }

    public long count(Status status) {
        return images.stream().filter(i -> i.status() == status).count();
    }

    /** Blob and manifest bytes sent, over every image. */
    public long bytesSent() {
        return images.stream().mapToLong(ImageResult::bytesSent).sum();
    }

    /** How an image ended. */
    public enum Status {
        /** Something was pushed (or, in a dry run, would be) and it is tagged. */
        IMPORTED,
        /** The registry held all of it, tags included: nothing was pushed. */
        PRESENT,
        /** It failed; nothing was tagged for it. */
        FAILED,
        /** An earlier image failed and the import stopped before this one (no {@code --keep-going}). */
        NOT_TRIED
    }

    /**
     * One image's outcome.
     *
     * @param image          how it is named (its first reference, or its digest)
     * @param targets        where it went (empty when they could not be worked out)
     * @param status         how it ended
     * @param blobsPushed    blobs sent (dry run: that would be)
     * @param blobsPresent   blobs the registry had (or that were mounted)
     * @param manifestsPushed manifests put (referrers included; tags not)
     * @param tagsPushed     tags put or moved
     * @param bytesSent      blob and manifest bytes sent (resent bytes after a failure included)
     * @param message        for a failure, what failed and what to do; else null
     */
    public record ImageResult(String image, List<Target> targets, Status status, int blobsPushed, int blobsPresent,
                              int manifestsPushed, int tagsPushed, long bytesSent, String message) {
        public ImageResult {
            targets = List.copyOf(targets);
        }
    }
}
