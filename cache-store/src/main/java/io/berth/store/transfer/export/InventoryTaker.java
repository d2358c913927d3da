package io.berth.store.transfer.export;

import io.berth.store.error.RegistryException;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamWriter.CatalogPage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code berth inventory}: what a registry holds, through its API only. Its repositories (the
 * catalog, or the ones named where it has none), their tags (one {@code HEAD} each), each manifest
 * once (fetched, an index's children too) and the blobs those manifests name. Referrers are
 * counted when the registry tags them under the OCI fallback tag ({@code sha256-<hex>}, as CNCF
 * Distribution does); referrers reached only through the referrers API are not listed, so a delta
 * carries them again (harmlessly). Untagged manifests cannot be listed through the API. Blocks
 * on the network.
 */
public final class InventoryTaker {
    private static final int PAGE = 1000;

    private final SourceRegistry registry;

    public InventoryTaker(SourceRegistry registry) {
        this.registry = registry;
    }

    /**
     * Takes the inventory of {@code repositories} (empty: every repository the catalog lists),
     * telling {@code progress} each repository as it starts it.
     */
    public SiteInventory take(List<String> repositories, Consumer<String> progress) throws ExportException {
        Set<Digest> manifests = new HashSet<>();
        Set<Digest> blobs = new HashSet<>();
        Map<String, Digest> tags = new TreeMap<>();
        try {
            for (String repository : repositories.isEmpty() ? catalog() : repositories.stream().map(registry::repository).toList()) {
                progress.accept(repository);
                for (String tag : registry.tags(repository)) {
                    Optional<ManifestHead> head = registry.reader().headManifest(repository, tag);
                    if (head.isPresent()) {
                        tags.put(repository + ":" + tag, head.get().digest());
                        walk(repository, head.get().digest(), manifests, blobs);
                    }
                }
            }
        } catch (UpstreamException e) {
            throw new ExportException("the inventory of " + registry.host() + " could not be taken: " + e.getMessage(), e);
        }
        return SiteInventory.of(registry.host(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), manifests,
                blobs, tags);
    }

    private void walk(String repository, Digest top, Set<Digest> manifests, Set<Digest> blobs)
            throws UpstreamException, ExportException {
        Deque<Digest> pending = new ArrayDeque<>(List.of(top));
        while (!pending.isEmpty()) {
            Digest digest = pending.pop();
            if (!manifests.add(digest)) {
                continue;
            }
            Optional<Manifest> manifest = registry.reader().getManifest(repository, digest.toString(),
                    ExportPlanner.MAX_MANIFEST);
            if (manifest.isEmpty()) {
                continue; // deleted since its tag was read
            }
            ParsedManifest parsed;
            try {
                parsed = ManifestParser.parse(manifest.get().bytes(), manifest.get().mediaType());
            } catch (RegistryException e) {
                throw new ExportException("the manifest " + repository + "@" + digest + " cannot be read: "
                        + e.getMessage(), e);
            }
            for (Descriptor child : parsed.children()) {
                pending.push(child.digest());
            }
            for (Descriptor blob : parsed.blobs()) {
                blobs.add(blob.digest());
            }
        }
    }

    private List<String> catalog() throws UpstreamException, ExportException {
        if (registry.catalog() == null) {
            throw noCatalog();
        }
        Set<String> names = new LinkedHashSet<>();
        Optional<CatalogPage> page = registry.catalog().catalog(null, PAGE);
        if (page.isEmpty()) {
            throw noCatalog();
        }
        while (page.isPresent()) {
            names.addAll(page.get().repositories());
            if (!page.get().more() || page.get().repositories().isEmpty()) {
                break;
            }
            page = registry.catalog().catalog(page.get().repositories().getLast(), PAGE);
        }
        return List.copyOf(names);
    }

    private ExportException noCatalog() {
        return new ExportException("the registry " + registry.host() + " does not list its repositories to these"
                + " credentials (no catalog): name the repositories to take the inventory of");
    }
}
