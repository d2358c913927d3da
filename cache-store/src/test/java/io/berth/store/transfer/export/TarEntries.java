package io.berth.store.transfer.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The entries of a small ustar file, in order, read back for assertions (no PAX, no long names). */
final class TarEntries {
    private TarEntries() {
    }

    /** Names in order (duplicates kept) and each file's bytes. */
    record Listing(List<String> names, Map<String, byte[]> files) {
    }

    static Listing read(Path tar) throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] h = new byte[512];
            while (in.readNBytes(h, 0, 512) == 512 && h[0] != 0) {
                String name = text(h, 0, 100);
                long size = Long.parseLong(text(h, 124, 12).strip(), 8);
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                names.add(name);
                if (h[156] == '0') {
                    files.put(name, data);
                }
            }
        }
        return new Listing(names, files);
    }

    private static String text(byte[] b, int offset, int max) {
        int n = 0;
        while (n < max && b[offset + n] != 0) {
            n++;
        }
        return new String(b, offset, n, StandardCharsets.US_ASCII);
    }
}
