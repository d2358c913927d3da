package io.berth.store.proxy;

import io.berth.store.Blobs;
import io.berth.store.blob.BlobContent;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Blobs of proxy projects. A blob the repository links is served from the store like any other (a
 * local file, sent zero-copy). A {@code GET} of any other starts or joins its fill and answers
 * from the spool file as the bytes arrive; a {@code HEAD} asks the upstream ({@code headBlob}), so
 * that a cache stacked on this one sees what the upstream has.
 */
final class ProxyBlobs {
    private final Blobs blobs;
    private final BlobFills fills;
    private final Executor executor;
    private final ProxyCounters counters;

    ProxyBlobs(Blobs blobs, BlobFills fills, Executor executor, ProxyCounters counters) {
        this.blobs = blobs;
        this.fills = fills;
        this.executor = executor;
        this.counters = counters;
    }

    /** The size for a {@code HEAD}: cached, being fetched, or as the upstream reports it. */
    OptionalLong size(ProxyContext context, Digest digest, Deadline deadline) throws IOException {
        OptionalLong held = blobs.size(context.local(), digest);
        if (held.isPresent()) {
            return held;
        }
        BlobFill running = fills.running(context, digest);
        OptionalLong known = running == null ? OptionalLong.empty() : running.knownSize();
        if (known.isPresent()) {
            return known;
        }
        CompletableFuture<OptionalLong> head = CompletableFuture.supplyAsync(() -> {
            try {
                return context.upstream().headBlob(context.upstreamName(), digest);
            } catch (UpstreamException e) {
                counters.upstreamFailures.increment();
                throw new CompletionException(e);
            }
        }, executor);
        try {
            return deadline.await(head);
        } catch (Exception e) {
            throw UpstreamFailures.toClient(context, "look up blob " + digest, e, deadline);
        }
    }

    /** The size for a {@code GET}: cached, or once the fill (started or joined here) has the upstream's headers. */
    OptionalLong sizeToRead(ProxyContext context, Digest digest, Deadline deadline) throws IOException {
        BlobFill fill = fills.attach(context, digest);
        if (fill == null) {
            counters.blobHits.increment();
            return blobs.size(context.local(), digest);
        }
        counters.blobMisses.increment();
        return awaitSize(context, fill, deadline);
    }

    /** The span, from the store when cached, else from the fill's spool file as it arrives. */
    Optional<BlobContent> open(ProxyContext context, Digest digest, long offset, long length, Deadline deadline)
            throws IOException {
        BlobFill fill = fills.attach(context, digest);
        if (fill == null) {
            return fromCache(digest, offset, length);
        }
        if (awaitSize(context, fill, deadline).isEmpty()) {
            return Optional.empty();
        }
        Optional<SpoolReader> reader;
        try {
            reader = fill.openReader(offset, length);
        } catch (IOException e) {
            throw UpstreamFailures.toClient(context, "fetch blob " + digest, e.getCause() == null ? e : e.getCause(),
                    deadline);
        }
        return reader.isEmpty() ? fromCache(digest, offset, length)
                : Optional.of(new BlobContent.Stream(reader.get(), length));
    }

    /** The span from the store, counted as served from the cache (unless the client is sent elsewhere for it). */
    private Optional<BlobContent> fromCache(Digest digest, long offset, long length) throws IOException {
        Optional<BlobContent> content = blobs.open(digest, offset, length);
        content.filter(c -> !(c instanceof BlobContent.Redirect))
                .ifPresent(c -> counters.blobBytesFromCache.add(c.length()));
        return content;
    }

    private static OptionalLong awaitSize(ProxyContext context, BlobFill fill, Deadline deadline) {
        try {
            return fill.awaitSize(deadline);
        } catch (Exception e) {
            throw UpstreamFailures.toClient(context, "fetch blob " + fill.digest(), e, deadline);
        }
    }
}
