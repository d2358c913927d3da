package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code docker save} tarball, of either kind.
 *
 * <p>Legacy (before docker 25): {@code manifest.json} lists per image its config file, its tags
 * and its layer tars, and the archive holds no manifest, so one is synthesised
 * ({@link LegacyManifest}) with the layer tars as they are: the image ID and the layer digests
 * stay what the source says.
 *
 * <p>Docker 25 and later write an OCI layout beside {@code manifest.json}; its content is
 * preferred, and {@code manifest.json} covers its known faults: images missing from
 * {@code index.json} (saved by ID or digest; {@code "manifests": null}), and 25.0.0's OCI
 * manifests that list no layers. Such images get the synthesised manifest, their names from both
 * files.
 */
final class DockerSaveReader {
    static final String MANIFEST = "manifest.json";

    private DockerSaveReader() {
    }

    /** Reads the archive into {@code content}; returns which flavour it was. */
    static ArchiveFormat read(ContentBuilder content, JsonNode items) throws IOException {
        ArchiveFiles files = content.files();
        boolean oci = files.size(OciLayoutReader.INDEX).isPresent();
        List<OciLayoutReader.Root> roots = oci ? OciLayoutReader.read(content) : List.of();
        Map<Digest, RootImage> byConfig = rootsByConfig(content, roots);
        Map<Digest, List<String>> tagsOfRoots = new HashMap<>();
        Set<Digest> broken = new HashSet<>();
        List<Runnable> synthesised = new ArrayList<>();
        int position = 0;
        for (JsonNode item : items) {
            position++;
            String where = "entry " + position + " of " + MANIFEST + " in " + files.describe();
            String configPath = text(item, "Config", where);
            List<String> repoTags = new ArrayList<>();
            for (JsonNode tag : item.path("RepoTags")) {
                repoTags.add(ImageNames.fullReference(tag.asText()));
            }
            List<String> layerPaths = new ArrayList<>();
            for (JsonNode layer : item.path("Layers")) {
                layerPaths.add(layer.asText());
            }
            files.require(configPath, where);
            byte[] config = content.readSmall(configPath, "the config of " + where);
            RootImage root = byConfig.get(Digest.sha256(config));
            if (root != null && (root.layers() < 0 || root.layers() == layerPaths.size())) {
                tagsOfRoots.computeIfAbsent(root.root().digest(), d -> new ArrayList<>()).addAll(repoTags);
                continue;
            }
            List<String> names = new ArrayList<>();
            if (root != null) {
                broken.add(root.root().digest());
                roots.stream().filter(r -> r.digest().equals(root.root().digest())).forEach(r -> names.addAll(r.names()));
            }
            names.addAll(repoTags);
            LegacyManifest.Built built = LegacyManifest.synthesise(content, where, configPath, config, layerPaths);
            synthesised.add(() -> content.addImage(built.digest(), MediaTypes.DOCKER_MANIFEST, built.size(), names));
        }
        for (OciLayoutReader.Root root : roots) {
            if (!broken.contains(root.digest())) {
                List<String> names = new ArrayList<>(root.names());
                names.addAll(tagsOfRoots.getOrDefault(root.digest(), List.of()));
                content.addImage(root.digest(), root.mediaType(), root.size(), names);
            }
        }
        synthesised.forEach(Runnable::run);
        return oci ? ArchiveFormat.DOCKER_SAVE_OCI : ArchiveFormat.DOCKER_SAVE_LEGACY;
    }

    /** An image manifest index.json reaches, its root entry, and how many layers it lists (-1 under an index). */
    private record RootImage(OciLayoutReader.Root root, int layers) {
    }

    /**
     * The image manifests index.json reaches (directly, or as children of an index), by the digest
     * of their config: that is how a manifest.json entry finds its OCI counterpart.
     */
    private static Map<Digest, RootImage> rootsByConfig(ContentBuilder content, List<OciLayoutReader.Root> roots)
            throws IOException {
        Map<Digest, RootImage> byConfig = new HashMap<>();
        for (OciLayoutReader.Root root : roots) {
            Optional<byte[]> bytes = content.manifestBytes(root.digest());
            if (bytes.isEmpty()) {
                continue;
            }
            JsonNode manifest = ManifestWalker.parse(bytes.get(), "manifest " + root.digest());
            if (manifest.path("manifests").isArray()) {
                for (JsonNode child : manifest.path("manifests")) {
                    Optional<Digest> childDigest = ManifestWalker.digestOf(child);
                    Optional<byte[]> childBytes = childDigest.isEmpty() ? Optional.empty() : content.manifestBytes(childDigest.get());
                    if (childBytes.isPresent()) {
                        JsonNode childManifest = ManifestWalker.parse(childBytes.get(), "manifest " + childDigest.get());
                        ManifestWalker.digestOf(childManifest.path("config"))
                                .ifPresent(c -> byConfig.putIfAbsent(c, new RootImage(root, -1)));
                    }
                }
                continue;
            }
            int layers = manifest.path("layers").size();
            Optional<Digest> config = ManifestWalker.digestOf(manifest.path("config"));
            config.ifPresent(c -> byConfig.putIfAbsent(c, new RootImage(root, layers)));
        }
        return byConfig;
    }

    private static String text(JsonNode item, String field, String where) throws ArchiveException {
        JsonNode value = item.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ArchiveException(where + " has no " + field + ": the archive is damaged; save it again");
        }
        return value.asText();
    }
}
