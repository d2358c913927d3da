package io.berth.store.transfer.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The files of an archive by their path inside it ({@code index.json}, {@code blobs/sha256/…}),
 * whether the archive is a folder or a tar (one file or split parts). Links are followed.
 */
interface ArchiveFiles extends Closeable {

    /** What the archive is, for messages. */
    String describe();

    /** The size of the regular file at {@code path}, if there is one. */
    Optional<Long> size(String path);

    /** Streams the file at {@code path}; fails naming it when there is none. */
    InputStream open(String path) throws IOException;

    /** The paths of every regular file. */
    List<String> names() throws IOException;

    /** The size of {@code path}, or an error naming the archive, the file and who referred to it. */
    default long require(String path, String referredBy) throws ArchiveException {
        return size(path).orElseThrow(() -> new ArchiveException(describe() + " lacks " + path + ", which "
                + referredBy + " names: the archive is incomplete or damaged; write it again (docker save,"
                + " skopeo copy or berth export)"));
    }
}
