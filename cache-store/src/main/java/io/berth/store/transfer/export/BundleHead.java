package io.berth.store.transfer.export;

import io.berth.store.transfer.BundleDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the descriptor of a bundle without reading the bundle: from its sidecar
 * ({@code *.berth-bundle.json}), or from the {@code berth-bundle.json} entry near the start of the
 * tar (a bundle, or the first part of a split one, {@code NAME.000}: the parts that follow are read
 * on only when the descriptor runs past the first). Only the first few entries are looked at.
 */
public final class BundleHead {
    private static final int ENTRIES_LOOKED_AT = 8;

    private BundleHead() {
    }

    /** The descriptor of the bundle, split bundle or sidecar at {@code path}. */
    public static BundleDescriptor read(Path path) throws IOException {
        String name = path.getFileName().toString();
        if (name.endsWith(".json")) {
            return BundleDescriptor.read(path);
        }
        try (InputStream in = open(path)) {
            byte[] header = new byte[TarWriter.BLOCK];
            for (int i = 0; i < ENTRIES_LOOKED_AT; i++) {
                if (in.readNBytes(header, 0, header.length) < header.length || header[0] == 0) {
                    break;
                }
                String entry = new String(header, 0, length(header, 0, 100), StandardCharsets.UTF_8);
                long size = Long.parseLong(new String(header, 124, length(header, 124, 12), StandardCharsets.US_ASCII)
                        .strip(), 8);
                if (entry.equals(BundleDescriptor.ENTRY_NAME)) {
                    return BundleDescriptor.read(new java.io.ByteArrayInputStream(in.readNBytes((int) size)),
                            path + "!" + entry);
                }
                in.skipNBytes((size + TarWriter.BLOCK - 1) / TarWriter.BLOCK * TarWriter.BLOCK);
            }
        } catch (NumberFormatException e) {
            throw new IOException(path + " is not a tar (a header's size is not a number)");
        }
        throw new IOException(path + " has no " + BundleDescriptor.ENTRY_NAME + " among its first entries: it is not"
                + " a Berth bundle (give its sidecar " + BundleDescriptor.ENTRY_NAME + " file instead, if it has one)");
    }

    private static InputStream open(Path path) throws IOException {
        String name = path.getFileName().toString();
        if (!name.endsWith(".000")) {
            return Files.newInputStream(path);
        }
        Path base = path.resolveSibling(name.substring(0, name.length() - 4));
        List<InputStream> parts = new ArrayList<>();
        for (int n = 0; Files.exists(BundleOutput.part(base, n)); n++) {
            parts.add(Files.newInputStream(BundleOutput.part(base, n)));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    private static int length(byte[] b, int offset, int max) {
        int n = 0;
        while (n < max && b[offset + n] != 0) {
            n++;
        }
        return n;
    }
}
