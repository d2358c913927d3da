package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code skopeo copy … dir:} folder: {@code manifest.json} is the image's manifest (its
 * digest is that of its bytes), blobs are files named by their sha256 hex, and with {@code --all}
 * the per-platform manifests are {@code <hex>.manifest.json}. It names no reference: the importer
 * must be given one.
 */
final class SkopeoDirReader {
    private static final Pattern BLOB = Pattern.compile("([0-9a-f]{64})(\\.manifest\\.json)?");

    private SkopeoDirReader() {
    }

    static void read(ContentBuilder content, byte[] manifest) throws IOException {
        ArchiveFiles files = content.files();
        for (String name : files.names()) {
            Matcher m = BLOB.matcher(name);
            if (m.matches()) {
                content.addFile(Digest.parse("sha256:" + m.group(1)), name, files.size(name).orElse(0L));
            }
        }
        Digest digest = Digest.sha256(manifest);
        content.addFile(digest, DockerSaveReader.MANIFEST, manifest.length);
        JsonNode json = ManifestWalker.parse(manifest, DockerSaveReader.MANIFEST + " in " + files.describe());
        String mediaType = ManifestWalker.mediaTypeOf(json);
        new ManifestWalker(content).walk(digest, mediaType);
        content.addImage(digest, mediaType, manifest.length, List.of());
    }

}
