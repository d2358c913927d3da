package io.berth.store.transfer.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** The files of a tar (one file or split parts), indexed by one header scan and read in place. */
final class TarFiles implements ArchiveFiles {
    private final ByteSource source;
    private final TarIndex index;

    private TarFiles(ByteSource source, TarIndex index) {
        this.source = source;
        this.index = index;
    }

    /** Indexes {@code source}; closes it when the scan fails. */
    static TarFiles scan(ByteSource source) throws IOException {
        try {
            return new TarFiles(source, TarIndex.scan(source));
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return source.describe();
    }

    @Override
    public Optional<Long> size(String path) {
        return index.file(path).map(TarEntry::size);
    }

    @Override
    public InputStream open(String path) throws IOException {
        TarEntry entry = index.file(path).orElseThrow(() -> new ArchiveException(source.describe() + " has no file " + path));
        return new RegionInputStream(source, entry.name(), entry.dataOffset(), entry.size());
    }

    @Override
    public List<String> names() {
        return index.entries().values().stream()
                .filter(e -> e.kind() == TarEntry.Kind.FILE || e.kind() == TarEntry.Kind.SYMLINK
                        || e.kind() == TarEntry.Kind.HARDLINK)
                .map(TarEntry::name)
                .filter(name -> index.file(name).isPresent())
                .toList();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
