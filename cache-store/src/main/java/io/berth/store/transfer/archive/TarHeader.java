package io.berth.store.transfer.archive;

import java.nio.charset.StandardCharsets;

/**
 * The fields of one 512-byte tar header that an image archive needs, with its checksum checked.
 * Sizes may be octal or GNU base-256; ustar's name prefix is joined to the name.
 */
record TarHeader(String name, byte type, long size, String linkName) {

    /** The header in {@code block}, or null when its checksum does not match (not a tar, or damaged). */
    static TarHeader parse(byte[] block) {
        if (!checksumMatches(block)) {
            return null;
        }
        String name = text(block, 0, 100);
        String magic = new String(block, 257, 6, StandardCharsets.US_ASCII);
        if (magic.equals("ustar\0")) {
            String prefix = text(block, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        long size = number(block, 124, 12);
        if (size < 0) {
            return null;
        }
        return new TarHeader(name, block[156], size, text(block, 157, 100));
    }

    /** Whether data blocks follow this header: never for links, directories, devices and fifos. */
    boolean hasData() {
        return switch (type) {
            case '1', '2', '3', '4', '5', '6' -> false;
            default -> true;
        };
    }

    private static boolean checksumMatches(byte[] block) {
        long stored = number(block, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < TarIndex.BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    /** Octal (NUL- or space-terminated) or, with the high bit of the first byte set, base-256. */
    static long number(byte[] block, int offset, int length) {
        if ((block[offset] & 0x80) != 0) {
            long value = block[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    return -1;
                }
                value = (value << 8) | (block[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        boolean any = false;
        for (; i < end; i++) {
            byte b = block[i];
            if (b == 0 || b == ' ') {
                break;
            }
            if (b < '0' || b > '7') {
                return -1;
            }
            value = value * 8 + (b - '0');
            any = true;
        }
        return any ? value : 0;
    }

    private static String text(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }
}
