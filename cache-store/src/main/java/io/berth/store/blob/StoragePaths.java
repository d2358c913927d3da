package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Where everything lives under the storage root. The layout:
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/&lt;algorithm&gt;/&lt;first two hex digits&gt;/&lt;hex&gt;   blob content; immutable, named by its verified digest
 *   uploads/&lt;session id&gt;/data                        bytes received so far by an upload session
 *   uploads/&lt;session id&gt;/acknowledged                size of the data the client was told it has
 *   uploads/&lt;session id&gt;/algorithm                   the session's digest algorithm, when not sha256
 *   tmp/&lt;random&gt;                                     a blob being written in one go (manifests, imports)
 *   deleting/&lt;algorithm&gt;-&lt;hex&gt;.&lt;random&gt;               a blob taken away from its name while garbage
 *                                                    collection decides whether to remove it
 *   db/                                              the embedded H2 database, when it is used
 * </pre>
 *
 * A file appears under {@code blobs/} only by an atomic rename from {@code uploads/} or {@code tmp/}
 * (the same file system) after its digest was checked and its content fsynced, so a reader never
 * sees a partial or unverified blob. Two writers of the same blob rename identical content onto the
 * same name, which is harmless. The two-digit fan-out keeps directories small. Garbage collection
 * renames a blob into {@code deleting/} before it removes it (see
 * {@link FilesystemBlobStore#deleteUnlessWritten}); whatever a crash leaves there is renamed back.
 */
public final class StoragePaths {
    private final Path root;

    public StoragePaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path blobs() {
        return root.resolve("blobs");
    }

    /** Digest values are validated hex, so this path can never escape the root. */
    public Path blob(Digest digest) {
        String hex = digest.hex();
        return blobs().resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    /** The folder of one upload session; {@code id} must already be validated by the caller. */
    public Path upload(String id) {
        return uploads().resolve(id);
    }

    public Path uploadData(String id) {
        return upload(id).resolve("data");
    }

    /**
     * How many bytes of the session's data were acknowledged (8 bytes, a big-endian long). Data
     * past it is a chunk a crash interrupted, and is cut off before the session is used again.
     */
    public Path uploadAcknowledged(String id) {
        return upload(id).resolve("acknowledged");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path deleting() {
        return root.resolve("deleting");
    }

    /**
     * Where a blob waits while one attempt at removing it decides: a name of its own per attempt, so
     * that an attempt only ever removes what it took itself.
     */
    public Path deleting(Digest digest) {
        return deleting().resolve(digest.algorithm().prefix() + '-' + digest.hex() + '.' + UUID.randomUUID());
    }

    /** The blob a file under {@link #deleting()} holds, by its name; empty for a name no deletion wrote. */
    public static Optional<Digest> deletingDigest(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        int dot = name.indexOf('.', dash + 1);
        return dash < 0 || dot < 0 ? Optional.empty()
                : Digest.tryParse(name.substring(0, dash) + ':' + name.substring(dash + 1, dot));
    }
}
