package io.berth.store;

import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A client's manifest push: the exact bytes, where they go, and under which names.
 *
 * @param repository   the repository pushed into
 * @param reference    the tag or digest in the URL; a digest must be the content's
 * @param extraTags    further tags from {@code ?tag=} parameters (the spec's multi-tag push)
 * @param contentType  the request's {@code Content-Type}, or null
 * @param content      the manifest bytes as sent; never modified
 * @param precondition {@code If-Match} / {@code If-None-Match} on the reference
 * @param caller       who pushed, for the event the push records
 */
public record ManifestPush(RepositoryName repository, Reference reference, List<String> extraTags,
                           String contentType, byte[] content, ManifestPrecondition precondition, Caller caller) {
    public ManifestPush {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(reference, "reference");
        extraTags = List.copyOf(extraTags);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(precondition, "precondition");
        Objects.requireNonNull(caller, "caller");
    }

    /** A plain push under one reference, without conditions or extra tags. */
    public static ManifestPush of(RepositoryName repository, Reference reference, String contentType, byte[] content,
                                  Caller caller) {
        return new ManifestPush(repository, reference, List.of(), contentType, content, ManifestPrecondition.NONE,
                caller);
    }

    /** Every tag the push sets: the reference's own (if a tag) and the extra ones, without repeats. */
    public Set<String> tags() {
        Set<String> tags = new LinkedHashSet<>();
        reference.tag().ifPresent(tags::add);
        tags.addAll(extraTags);
        return tags;
    }
}
