package io.berth.store.transfer.imports;

import io.berth.store.oci.FallbackTag;
import io.berth.store.oci.MediaTypes;
import io.berth.store.transfer.imports.ImagePlan.Manifest;
import io.berth.store.transfer.imports.ImportListener.Action;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamWriter;

import java.io.IOException;
import java.util.Optional;

/**
 * The OCI referrers fallback tag ({@code sha256-<hex>}) of a subject at a registry without the
 * referrers API: the bundle's index put when the registry has none, merged with the registry's own
 * when it lists other referrers (theirs kept, the bundle's added), left alone when it already lists
 * every one.
 */
final class FallbackTags {
    private FallbackTags() {
    }

    /** What was done, or empty when the archive lacks the index (nothing to say). */
    static Optional<Action> put(Upstream reader, UpstreamWriter writer, String repository, String tag,
                                Manifest index, boolean dryRun) throws UpstreamException {
        if (index.bytes() == null) {
            return Optional.empty();
        }
        Optional<Upstream.Manifest> existing = reader.getManifest(repository, tag, 4 << 20);
        byte[] bytes = index.bytes();
        if (existing.isPresent()) {
            if (existing.get().digest().equals(index.digest())) {
                return Optional.of(Action.PRESENT);
            }
            Optional<byte[]> merged;
            try {
                merged = FallbackTag.merge(Optional.of(existing.get().bytes()), index.bytes());
            } catch (IOException e) {
                merged = Optional.of(index.bytes()); // not JSON: the tag is replaced by the bundle's index
            }
            if (merged.isEmpty()) {
                return Optional.of(Action.PRESENT);
            }
            bytes = merged.get();
        }
        if (dryRun) {
            return Optional.of(Action.WOULD_PUSH);
        }
        writer.putManifest(repository, tag, MediaTypes.OCI_INDEX, bytes);
        return Optional.of(Action.PUSHED);
    }
}
