package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An archive opened for import: the images it names and the content-addressed bytes it holds.
 * Open one with {@link ArchiveFormats#open}.
 *
 * <p>Nothing here is verified: {@link #open} streams the bytes as the archive holds them, and the
 * importer hashes them while it pushes, so a flipped byte is caught there, naming the blob. An
 * archive may lack content its manifests name (a delta bundle omits what the target already
 * has): such digests are absent from {@link #digests()} and the importer asks the registry for them.
 * Manifests are small and were read whole when the archive was opened; blobs are only streamed.
 * Safe for concurrent {@link #open} calls; closing it invalidates streams still open.
 */
public interface ArchiveContent extends AutoCloseable {

    /** Which kind of archive this is. */
    ArchiveFormat format();

    /** The archive (a file, a folder or the parts of a bundle), for messages. */
    String source();

    /**
     * The images the archive names, in its own order (index.json's entries, then manifest.json's
     * for images only it names); the same manifest named twice is one image with both names.
     */
    List<ArchiveImage> images();

    /** The manifest or blob with this digest, if the archive holds it: its size and media type when known. */
    Optional<ArchiveEntry> entry(Digest digest);

    /** Streams the bytes of {@code digest} from the archive; fails naming the archive when it lacks them. */
    InputStream open(Digest digest) throws IOException;

    /** Every digest the archive holds bytes for. */
    Set<Digest> digests();

    /**
     * Streams a file of the archive by its path inside it ({@code berth-bundle.json}, which lists a
     * bundle's referrers), when the archive has one there.
     */
    Optional<InputStream> file(String path) throws IOException;

    @Override
    void close() throws IOException;
}
