package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns image selectors into the images they name at the source: a tag or digest is looked up with
 * one {@code HEAD}; a pattern or range lists the repository's tags (all pages) and looks up each tag
 * it takes. The same repository and tag selected twice is exported once. A selector that names
 * nothing the source has fails, saying which.
 */
final class SelectionResolver {

    private final SourceRegistry source;

    SelectionResolver(SourceRegistry source) {
        this.source = source;
    }

    /**
     * An image the selection names.
     *
     * @param tag null when it was selected by digest
     */
    record SelectedImage(String repository, String tag, Digest digest, String mediaType, long size) {
    }

    List<SelectedImage> resolve(List<ImageSelector> selectors) throws UpstreamException, ExportException {
        if (selectors.isEmpty()) {
            throw new ExportException("nothing to export: name images as repo:tag, repo@sha256:<hex>, repo:/regex/"
                    + " or repo:<semver range>");
        }
        Map<String, SelectedImage> selected = new LinkedHashMap<>();
        for (ImageSelector selector : selectors) {
            String repository = source.repository(selector.repository());
            switch (selector) {
                case ImageSelector.Tag t -> add(selected, repository, t.tag(), selector);
                case ImageSelector.ByDigest d -> add(selected, repository, d.digest().toString(), selector);
                default -> {
                    List<String> tags = source.tags(repository);
                    List<String> taken = tags.stream().filter(selector::takes).toList();
                    if (taken.isEmpty()) {
                        throw new ExportException("the selector " + selector + " takes none of the " + tags.size()
                                + " tags of " + source.reference(repository, "").replaceAll(":$", "")
                                + (tags.isEmpty() ? "" : " (" + String.join(", ", tags.subList(0, Math.min(10,
                                tags.size()))) + (tags.size() > 10 ? ", …" : "") + ")")
                                + ": check the expression, or name the tags");
                    }
                    for (String tag : taken) {
                        add(selected, repository, tag, selector);
                    }
                }
            }
        }
        return List.copyOf(selected.values());
    }

    private void add(Map<String, SelectedImage> selected, String repository, String reference, ImageSelector selector)
            throws UpstreamException, ExportException {
        String key = repository + (reference.indexOf(':') >= 0 ? "@" : ":") + reference;
        if (selected.containsKey(key)) {
            return;
        }
        Optional<ManifestHead> head = source.reader().headManifest(repository, reference);
        if (head.isEmpty()) {
            throw new ExportException("the source has no image " + source.reference(repository, reference)
                    + " (selected by " + selector + "): check the name, or that the credentials may pull it");
        }
        boolean byDigest = reference.indexOf(':') >= 0;
        selected.put(key, new SelectedImage(repository, byDigest ? null : reference, head.get().digest(),
                head.get().mediaType(), head.get().size()));
    }
}
