package io.berth.store.transfer.export;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a registry holds, as {@code berth inventory} writes it to carry back across an air gap for
 * the next delta: the sorted digests of its manifests and of the blobs those manifests name, and
 * {@code repository:tag → digest}. Compact JSON (no indentation), about 75 bytes a digest.
 * {@link #digest} is the sha256 of the file as it was read or written, which a delta bundle records.
 * (Not {@link io.berth.store.Inventory}, the admin API's listing of this Berth's own content.)
 *
 * @param format    {@link #FORMAT}
 * @param registry  the registry it describes ({@code host[:port]})
 * @param created   when it was taken (ISO-8601 UTC)
 * @param manifests digests of every manifest reached (tagged ones, their children and referrers)
 * @param blobs     digests of every blob those manifests name
 * @param tags      {@code repository:tag} → manifest digest
 * @param digest    the file's sha256, or null for one not read from or written to a file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SiteInventory(String format, String registry, String created, List<String> manifests,
                            List<String> blobs, SortedMap<String, String> tags, @JsonIgnore String digest) {
    public static final String FORMAT = "berth-inventory/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public SiteInventory {
        manifests = List.copyOf(new TreeSet<>(manifests == null ? List.of() : manifests));
        blobs = List.copyOf(new TreeSet<>(blobs == null ? List.of() : blobs));
        tags = tags == null ? new TreeMap<>() : new TreeMap<>(tags);
    }

    /** An inventory of digests and tags (sorted here), not yet written. */
    public static SiteInventory of(String registry, String created, Set<Digest> manifests, Set<Digest> blobs,
                                   Map<String, Digest> tags) {
        TreeMap<String, String> tagText = new TreeMap<>();
        tags.forEach((k, v) -> tagText.put(k, v.toString()));
        return new SiteInventory(FORMAT, registry, created, manifests.stream().map(Digest::toString).toList(),
                blobs.stream().map(Digest::toString).toList(), tagText, null);
    }

    /** Whether it lists a manifest. */
    public boolean hasManifest(Digest d) {
        return contains(manifests, d);
    }

    /** Whether it lists a blob. */
    public boolean hasBlob(Digest d) {
        return contains(blobs, d);
    }

    /** Writes it (via a temporary file, renamed into place) and returns it with the file's digest. */
    public SiteInventory write(Path file) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(this);
        Path temp = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return withDigest(Digest.sha256(bytes).toString());
    }

    /** Reads one, with the file's digest; an IOException says what is wrong with it. */
    public static SiteInventory read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        SiteInventory inventory;
        try {
            inventory = JSON.readValue(bytes, SiteInventory.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a Berth inventory (" + e.getMessage() + "): make one with"
                    + " berth inventory", e);
        }
        if (inventory == null || !FORMAT.equals(inventory.format())) {
            throw new IOException(file + " is not a Berth inventory: its format is not " + FORMAT);
        }
        for (String d : inventory.manifests()) {
            Digest.parse(d);
        }
        for (String d : inventory.blobs()) {
            Digest.parse(d);
        }
        return inventory.withDigest(Digest.sha256(bytes).toString());
    }

    private SiteInventory withDigest(String d) {
        return new SiteInventory(format, registry, created, manifests, blobs, tags, d);
    }

    private static boolean contains(List<String> sorted, Digest d) {
        return java.util.Collections.binarySearch(sorted, d.toString()) >= 0;
    }
}
