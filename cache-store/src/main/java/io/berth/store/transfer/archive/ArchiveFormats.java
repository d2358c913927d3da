package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Opens an image archive for import, recognising its format from what it holds: an OCI image
 * layout (folder or tar; a Berth bundle is one), a {@code docker save} tarball (legacy or docker
 * 25+), a skopeo {@code dir:} folder. A tar is indexed by its headers alone and never extracted;
 * a split bundle is given as its parts in order, or just its first numbered part
 * ({@code bundle.tar.000}), and read as one tar.
 */
public final class ArchiveFormats {
    private ArchiveFormats() {
    }

    /** Opens the archive at {@code path} (a folder, a tar, or the first part of a split bundle). */
    public static ArchiveContent open(Path path) throws IOException {
        return open(List.of(path));
    }

    /**
     * Opens an archive given as one path or as the parts of a split bundle in order.
     *
     * @throws ArchiveException naming the archive, the entry and what to do, when it is none of the
     *                          formats, is damaged or truncated, or a part is missing
     */
    public static ArchiveContent open(List<Path> parts) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no archive given");
        }
        Path first = parts.get(0);
        if (!Files.exists(first)) {
            throw new ArchiveException(first + " does not exist: give an OCI layout (folder or tar), a docker save"
                    + " tarball, a skopeo dir: folder or the parts of a bundle");
        }
        ArchiveFiles files;
        if (parts.size() == 1 && Files.isDirectory(first)) {
            files = new DirectoryFiles(first);
        } else if (parts.size() == 1 && !SplitParts.isNumberedPart(first)) {
            files = TarFiles.scan(FileSource.open(first));
        } else {
            files = TarFiles.scan(SplitParts.open(parts));
        }
        try {
            return read(files);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    private static ArchiveContent read(ArchiveFiles files) throws IOException {
        ContentBuilder content = new ContentBuilder(files);
        if (files.size(DockerSaveReader.MANIFEST).isPresent()) {
            byte[] bytes = content.readSmall(DockerSaveReader.MANIFEST, DockerSaveReader.MANIFEST);
            JsonNode manifest = ManifestWalker.parse(bytes, DockerSaveReader.MANIFEST + " in " + files.describe());
            if (manifest.isArray()) {
                return content.build(DockerSaveReader.read(content, manifest));
            }
            if (manifest.isObject() && files.size(OciLayoutReader.INDEX).isEmpty()) {
                SkopeoDirReader.read(content, bytes);
                return content.build(ArchiveFormat.SKOPEO_DIR);
            }
        }
        if (files.size(OciLayoutReader.INDEX).isPresent()) {
            for (OciLayoutReader.Root root : OciLayoutReader.read(content)) {
                content.addImage(root.digest(), root.mediaType(), root.size(), root.names());
            }
            return content.build(ArchiveFormat.OCI_LAYOUT);
        }
        List<String> names = files.names();
        String seen = names.isEmpty() ? "nothing" : names.stream().limit(5).collect(Collectors.joining(", "))
                + (names.size() > 5 ? ", …" : "");
        throw new ArchiveException(files.describe() + " is not an image archive: it has neither index.json (OCI layout)"
                + " nor manifest.json (docker save, skopeo dir:), only " + seen + ". Give an OCI layout (folder or"
                + " tar), a docker save tarball, a skopeo dir: folder or every part of a bundle");
    }
}
