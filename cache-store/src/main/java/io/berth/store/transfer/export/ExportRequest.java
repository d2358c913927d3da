package io.berth.store.transfer.export;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One export, as {@code berth export} asks for it.
 *
 * @param images    what to export ({@link ImageSelector})
 * @param platforms which children of indexes to take ({@link PlatformFilter#everything()}: indexes whole)
 * @param referrers whether referrers of every exported manifest go with it
 * @param inventory for a delta bundle, what the target holds (its manifests and blobs are left out); null for a full one
 * @param output    the bundle's path ({@code bundle.tar}); its parts, when split, are {@code bundle.tar.000}, …
 * @param partSize  bytes per part ({@link ByteSize#parse}), or 0 for one file
 * @param created   the bundle's time (descriptor, tar entries): the same request and content give the same bytes
 */
public record ExportRequest(List<ImageSelector> images, PlatformFilter platforms, boolean referrers,
                            SiteInventory inventory, Path output, long partSize, Instant created) {
    public ExportRequest {
        images = List.copyOf(images);
        Objects.requireNonNull(platforms, "platforms");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(created, "created");
        if (partSize < 0 || (partSize > 0 && partSize < 1024)) {
            throw new IllegalArgumentException("a bundle part holds at least 1 KiB, not " + partSize + " bytes");
        }
    }

    /** A full, unsplit export of {@code images} with whole indexes and no referrers, made now. */
    public static ExportRequest of(List<ImageSelector> images, Path output) {
        return new ExportRequest(images, PlatformFilter.everything(), false, null, output, 0, Instant.now());
    }

    public ExportRequest withPlatforms(PlatformFilter filter) {
        return new ExportRequest(images, filter, referrers, inventory, output, partSize, created);
    }

    public ExportRequest withReferrers(boolean with) {
        return new ExportRequest(images, platforms, with, inventory, output, partSize, created);
    }

    public ExportRequest withInventory(SiteInventory delta) {
        return new ExportRequest(images, platforms, referrers, delta, output, partSize, created);
    }

    public ExportRequest withSplit(long bytesPerPart) {
        return new ExportRequest(images, platforms, referrers, inventory, output, bytesPerPart, created);
    }

    public ExportRequest withOutput(Path path) {
        return new ExportRequest(images, platforms, referrers, inventory, path, partSize, created);
    }

    public ExportRequest at(Instant time) {
        return new ExportRequest(images, platforms, referrers, inventory, output, partSize, time);
    }
}
