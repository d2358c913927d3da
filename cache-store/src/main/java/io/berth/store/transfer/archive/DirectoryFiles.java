package io.berth.store.transfer.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The files of an image archive that is a folder: an OCI layout, a skopeo dir:, an unpacked docker save. */
final class DirectoryFiles implements ArchiveFiles {
    private final Path root;

    DirectoryFiles(Path root) {
        this.root = root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Optional<Path> file(String path) {
        String normalized = TarPaths.normalize(path);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        Path file = root.resolve(normalized);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public Optional<Long> size(String path) {
        Optional<Path> file = file(path);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.size(file.get()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path file = file(path).orElseThrow(() -> new ArchiveException(root + " has no file " + path));
        return Files.newInputStream(file);
    }

    @Override
    public List<String> names() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public void close() {
    }
}
