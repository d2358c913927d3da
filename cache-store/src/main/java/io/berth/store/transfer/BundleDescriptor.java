package io.berth.store.transfer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code berth-bundle.json}: what an export bundle holds, written inside the bundle's tar (right
 * after {@code oci-layout} and {@code index.json}) and as a sidecar file next to it. The sidecar
 * also carries {@link #bundle} (the tar's own sha256 and each part's), which the copy inside the
 * tar cannot know; inside the tar it is null. Digests are {@code sha256:<hex>} text, times
 * ISO-8601 UTC. Unknown fields are ignored, so later versions may add some.
 *
 * @param format     {@link #FORMAT}
 * @param created    when the export began
 * @param source     the registry the images came from, as their references name it ({@code host[:port]})
 * @param platforms  the platform filter ({@code linux/amd64}); empty: indexes exported whole
 * @param referrers  whether referrers of every exported manifest were exported with it
 * @param delta      for a delta bundle, the inventory it was cut against; null for a full bundle
 * @param images     the exported images, in {@code index.json}'s order
 * @param content    counts and bytes of what the tar holds and what the delta left out
 * @param bundle     the tar's digest and parts (sidecar only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleDescriptor(String format, String created, String source, List<String> platforms,
                               boolean referrers, Delta delta, List<Image> images, Content content, Bundle bundle) {
    /** The format this code writes. */
    public static final String FORMAT = "berth-bundle/v1";
    /** The entry name inside the tar, and the suffix of the sidecar file. */
    public static final String ENTRY_NAME = "berth-bundle.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public BundleDescriptor {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** The same descriptor with the sidecar's {@link Bundle} part. */
    public BundleDescriptor withBundle(Bundle of) {
        return new BundleDescriptor(format, created, source, platforms, referrers, delta, images, content, of);
    }

    /** Its JSON bytes (UTF-8, indented). */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a bundle descriptor", e);
        }
    }

    /** Reads one; an IOException says it is not a bundle descriptor. */
    public static BundleDescriptor read(InputStream in, String what) throws IOException {
        BundleDescriptor d;
        try {
            d = JSON.readValue(in, BundleDescriptor.class);
        } catch (IOException e) {
            throw new IOException(what + " is not a Berth bundle descriptor (" + e.getMessage() + ")", e);
        }
        if (d == null || d.format() == null || !d.format().startsWith("berth-bundle/")) {
            throw new IOException(what + " is not a Berth bundle descriptor: its format is not " + FORMAT);
        }
        return d;
    }

    /** Reads a sidecar or an extracted {@code berth-bundle.json}. */
    public static BundleDescriptor read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * One exported image: a reference the export was asked for, resolved.
     *
     * @param reference  the full reference, source registry included ({@code host/repo:tag} or {@code host/repo@digest})
     * @param repository the repository at the source
     * @param tag        its tag, or null when it was asked for by digest
     * @param digest     the manifest (or index) digest
     * @param mediaType  the manifest's media type
     * @param size       the manifest's size
     * @param platforms  for an index, the platforms of its children ({@code os/arch[/variant]})
     * @param children   for an index, its children and whether the platform filter kept them
     * @param referrers  the referrers exported with it (of the image, its children, and theirs)
     * @param fallbackTags referrer indexes found under the OCI fallback tag ({@code sha256-<hex>} → index digest), exported too
     * @param bytes      manifest and blob bytes this image added to the bundle (shared content counts once, for the first image)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(String reference, String repository, String tag, String digest, String mediaType, long size,
                        List<String> platforms, List<Child> children, List<Referrer> referrers,
                        Map<String, String> fallbackTags, long bytes) {
        public Image {
            platforms = platforms == null ? List.of() : List.copyOf(platforms);
            children = children == null ? List.of() : List.copyOf(children);
            referrers = referrers == null ? List.of() : List.copyOf(referrers);
            fallbackTags = fallbackTags == null ? Map.of() : Map.copyOf(fallbackTags);
        }
    }

    /** A child of an exported index: its digest, platform (or null), and whether it is in the bundle. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Child(String digest, String mediaType, long size, String platform, boolean selected) {
    }

    /** A referrer exported with its subject. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Referrer(String digest, String mediaType, long size, String artifactType, String subject) {
    }

    /**
     * The inventory a delta bundle was cut against: manifests and blobs it lists are not in the tar.
     *
     * @param inventoryDigest the sha256 of the inventory file as it was read
     * @param inventoryCreated when the inventory was taken
     * @param inventoryRegistry the registry it describes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delta(String inventoryDigest, String inventoryCreated, String inventoryRegistry) {
    }

    /** What the tar holds, and what a delta left out because the inventory lists it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Content(int manifests, int blobs, long bytes, int omittedManifests, int omittedBlobs,
                          long omittedBytes) {
    }

    /** The tar's own digest and size, and its parts when it was split ({@code cat} of the parts is the tar). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bundle(String name, String sha256, long size, List<Part> parts) {
        public Bundle {
            parts = parts == null ? List.of() : List.copyOf(parts);
        }
    }

    /** One part of a split bundle. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Part(String name, String sha256, long size) {
    }
}
