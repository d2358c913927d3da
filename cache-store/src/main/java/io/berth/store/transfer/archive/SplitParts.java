package io.berth.store.transfer.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a split bundle ({@code bundle.tar.000}, {@code .001}, …), cut at arbitrary byte
 * boundaries, read as one seekable tar. Given only the first numbered part, the others are found
 * beside it; a gap in the numbering fails naming the missing part.
 */
final class SplitParts implements ByteSource {
    private static final Pattern NUMBERED = Pattern.compile("(.*)\\.(\\d{3,})");

    private final List<FileSource> parts;
    private final long[] starts;
    private final long size;

    private SplitParts(List<FileSource> parts) {
        this.parts = parts;
        this.starts = new long[parts.size()];
        long at = 0;
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = at;
            at += parts.get(i).size();
        }
        this.size = at;
    }

    /** Opens the parts in order; {@code paths} may be just the first numbered part. */
    static SplitParts open(List<Path> paths) throws IOException {
        List<Path> ordered = paths.size() == 1 ? siblingsOf(paths.get(0)) : List.copyOf(paths);
        if (ordered.isEmpty()) {
            throw new ArchiveException("no part of the split bundle " + paths.get(0) + " is there");
        }
        checkNumbering(ordered);
        List<FileSource> opened = new ArrayList<>();
        try {
            for (Path part : ordered) {
                if (!Files.isRegularFile(part)) {
                    throw new ArchiveException("part " + part + " of the split bundle is missing:"
                            + " copy every part (" + ordered.get(0).getFileName() + " onwards) into one folder");
                }
                opened.add(FileSource.open(part));
            }
        } catch (IOException | RuntimeException e) {
            for (FileSource s : opened) {
                s.close();
            }
            throw e;
        }
        return new SplitParts(List.copyOf(opened));
    }

    /** Whether {@code path} is named like a part of a split bundle ({@code NAME.000}). */
    static boolean isNumberedPart(Path path) {
        return NUMBERED.matcher(path.getFileName().toString()).matches();
    }

    private static List<Path> siblingsOf(Path first) throws IOException {
        Matcher m = NUMBERED.matcher(first.getFileName().toString());
        if (!m.matches()) {
            return List.of(first);
        }
        String stem = m.group(1);
        int width = m.group(2).length();
        int number = Integer.parseInt(m.group(2));
        Path before = first.resolveSibling(stem + "." + String.format("%0" + width + "d", number - 1));
        if (number > 0 && Files.exists(before)) {
            throw new ArchiveException(first + " is not the first part of the split bundle (" + before.getFileName()
                    + " is there): give the first part, or every part in order");
        }
        List<Path> parts = new ArrayList<>();
        Path part = first;
        while (Files.exists(part)) {
            parts.add(part);
            number++;
            part = first.resolveSibling(stem + "." + String.format("%0" + width + "d", number));
        }
        Path afterGap = first.resolveSibling(stem + "." + String.format("%0" + width + "d", number + 1));
        if (Files.exists(afterGap)) {
            throw new ArchiveException("part " + part + " of the split bundle is missing (" + afterGap.getFileName()
                    + " is there): copy every part into one folder and import again");
        }
        return parts;
    }

    private static void checkNumbering(List<Path> parts) throws ArchiveException {
        Integer previous = null;
        for (Path part : parts) {
            Matcher m = NUMBERED.matcher(part.getFileName().toString());
            if (!m.matches()) {
                return;
            }
            int number = Integer.parseInt(m.group(2));
            if (previous != null && number != previous + 1) {
                String width = "%0" + m.group(2).length() + "d";
                throw new ArchiveException("part " + part.resolveSibling(m.group(1) + "." + String.format(width, previous + 1))
                        + " of the split bundle is missing (given " + part.getFileName() + " after part "
                        + String.format(width, previous) + "): give every part, in order");
            }
            previous = number;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        int i = partAt(position);
        int total = 0;
        long at = position;
        while (dst.hasRemaining() && i < parts.size()) {
            int n = parts.get(i).read(at - starts[i], dst);
            if (n < 0) {
                i++;
                continue;
            }
            total += n;
            at += n;
        }
        return total;
    }

    private int partAt(long position) {
        int i = parts.size() - 1;
        while (i > 0 && starts[i] > position) {
            i--;
        }
        return i;
    }

    @Override
    public String locate(long position) {
        int i = partAt(Math.min(position, Math.max(0, size - 1)));
        return "part " + parts.get(i).path() + " at byte " + (position - starts[i]);
    }

    /**
     * Parts are cut to one size, the last excepted: a shorter part before the last was most likely
     * cut short in copying, which explains a broken header better than the header itself does.
     */
    @Override
    public String suspect() {
        long full = parts.get(0).size();
        for (int i = 1; i < parts.size() - 1; i++) {
            if (parts.get(i).size() < full) {
                return "part " + parts.get(i).path() + " is " + parts.get(i).size() + " bytes where the first part is "
                        + full + ": it looks truncated; copy it again";
            }
        }
        return "";
    }

    @Override
    public String describe() {
        return parts.size() == 1 ? parts.get(0).describe()
                : "split bundle " + parts.get(0).path() + " … " + parts.get(parts.size() - 1).path().getFileName()
                        + " (" + parts.size() + " parts)";
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FileSource part : parts) {
            try {
                part.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
