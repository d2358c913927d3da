package io.berth.store.transfer.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The members of a tar, found by reading its headers only: each header says how long the data
 * after it is, and the scan jumps over that data, so indexing a 1 GiB archive reads a few
 * kilobytes. Reads ustar and GNU headers, PAX extended headers ({@code path}, {@code linkpath},
 * {@code size}), GNU long names and long link names ({@code L}, {@code K}) and base-256 sizes.
 * A later member of the same name replaces an earlier one, as extraction would.
 */
final class TarIndex {
    static final int BLOCK = 512;
    /** Bounds the extended headers read whole (PAX records, GNU long names). */
    private static final int MAX_EXTENDED_HEADER = 1 << 20;
    private static final int MAX_LINK_HOPS = 16;

    private final Map<String, TarEntry> entries;

    private TarIndex(Map<String, TarEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Scans {@code source} from its first header to its end-of-archive blocks (or its end). */
    static TarIndex scan(ByteSource source) throws IOException {
        Map<String, TarEntry> entries = new LinkedHashMap<>();
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long at = 0;
        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        refuseCompressedOrTiny(source);
        while (at < source.size()) {
            block.clear();
            source.readFully(at, block, "the tar header at byte " + at);
            byte[] h = block.array();
            if (isZero(h)) {
                break;
            }
            TarHeader header = TarHeader.parse(h);
            if (header == null) {
                throw new ArchiveException(source.describe() + " has a corrupt tar header at " + source.locate(at)
                        + (at == 0 ? notATarHint(h) : ": " + source.advice("the archive is damaged; copy it again")));
            }
            long dataOffset = at + BLOCK;
            long size = pax.containsKey("size") ? parseLong(pax.get("size"), source, at) : header.size();
            long next = dataOffset + padded(size);
            if (header.type() == 'x' || header.type() == 'L' || header.type() == 'K' || header.type() == 'g') {
                String text = readText(source, dataOffset, size, at);
                switch (header.type()) {
                    case 'x' -> pax = PaxRecords.parse(text, source.locate(at));
                    case 'L' -> longName = trimNul(text);
                    case 'K' -> longLink = trimNul(text);
                    default -> { } // global PAX headers carry nothing an image archive needs
                }
                at = next;
                continue;
            }
            String name = pax.getOrDefault("path", longName != null ? longName : header.name());
            String link = pax.getOrDefault("linkpath", longLink != null ? longLink : header.linkName());
            TarEntry.Kind kind = kindOf(header.type(), name);
            String normalized = TarPaths.normalize(name);
            String target = switch (kind) {
                case SYMLINK -> TarPaths.resolveSymlink(normalized, link);
                case HARDLINK -> TarPaths.normalize(link);
                default -> null;
            };
            if (!normalized.isEmpty()) {
                entries.put(normalized, new TarEntry(normalized, kind, dataOffset,
                        kind == TarEntry.Kind.FILE ? size : 0, target));
            }
            if (kind == TarEntry.Kind.FILE && dataOffset + size > source.size()) {
                throw new ArchiveException(source.describe() + " ends inside " + normalized + ", "
                        + (dataOffset + size - source.size()) + " bytes short (at " + source.locate(source.size()) + "): "
                        + source.advice("the archive is truncated or a part is missing; copy it again"));
            }
            longName = null;
            longLink = null;
            pax = Map.of();
            at = header.hasData() ? next : dataOffset;
        }
        return new TarIndex(entries);
    }

    /** The regular file at {@code name}, following symbolic and hard links inside the archive. */
    Optional<TarEntry> file(String name) {
        String current = TarPaths.normalize(name);
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            TarEntry e = entries.get(current);
            if (e == null) {
                return Optional.empty();
            }
            switch (e.kind()) {
                case FILE -> {
                    return Optional.of(e);
                }
                case SYMLINK, HARDLINK -> current = e.linkTarget();
                default -> {
                    return Optional.empty();
                }
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Every member by its normalized name, in archive order. */
    Map<String, TarEntry> entries() {
        return entries;
    }

    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static TarEntry.Kind kindOf(byte type, String name) {
        return switch (type) {
            case '0', 0, '7' -> name.endsWith("/") ? TarEntry.Kind.DIRECTORY : TarEntry.Kind.FILE;
            case '1' -> TarEntry.Kind.HARDLINK;
            case '2' -> TarEntry.Kind.SYMLINK;
            case '5' -> TarEntry.Kind.DIRECTORY;
            default -> TarEntry.Kind.OTHER;
        };
    }

    private static String readText(ByteSource source, long offset, long size, long headerAt) throws IOException {
        if (size > MAX_EXTENDED_HEADER) {
            throw new ArchiveException("the extended tar header at " + source.locate(headerAt) + " claims " + size
                    + " bytes, more than the " + MAX_EXTENDED_HEADER + " any real one has: the archive is damaged");
        }
        ByteBuffer data = ByteBuffer.allocate((int) size);
        source.readFully(offset, data, "the extended tar header at byte " + headerAt);
        return new String(data.array(), StandardCharsets.UTF_8);
    }

    private static long parseLong(String value, ByteSource source, long at) throws ArchiveException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ArchiveException("the PAX size '" + value + "' at " + source.locate(at) + " is not a number: the archive is damaged");
        }
    }

    private static String trimNul(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void refuseCompressedOrTiny(ByteSource source) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4);
        while (magic.hasRemaining() && source.read(magic.position(), magic) > 0) {
            // the first bytes, however few the source has
        }
        byte[] first = magic.array();
        String hint = notATarHint(first);
        boolean compressed = !hint.contains("it is not a tar");
        if (compressed || (source.size() > 0 && source.size() < BLOCK)) {
            throw new ArchiveException(source.describe() + " is not a tar archive" + hint);
        }
    }

    private static String notATarHint(byte[] first) {
        if ((first[0] & 0xff) == 0x1f && (first[1] & 0xff) == 0x8b) {
            return ": it is gzip-compressed; decompress it first (gunzip, or docker save without | gzip)";
        }
        if ((first[0] & 0xff) == 0x28 && (first[1] & 0xff) == 0xb5) {
            return ": it is zstd-compressed; decompress it first (zstd -d)";
        }
        if (first[0] == 'B' && first[1] == 'Z' && first[2] == 'h') {
            return ": it is bzip2-compressed; decompress it first (bunzip2)";
        }
        if ((first[0] & 0xff) == 0xfd && first[1] == '7' && first[2] == 'z' && first[3] == 'X') {
            return ": it is xz-compressed; decompress it first (unxz)";
        }
        return ": it is not a tar; give an OCI layout (folder or tar), a docker save tarball, a skopeo dir: folder"
                + " or the parts of a bundle";
    }
}
