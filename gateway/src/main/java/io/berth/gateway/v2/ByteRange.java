package io.berth.gateway.v2;

/**
 * A single {@code Range: bytes=…} request against a blob of known size. Forms other than one
 * byte range (several ranges, other units, bad syntax) are ignored and the whole blob is served,
 * as RFC 9110 allows; a range that starts past the end is unsatisfiable.
 */
record ByteRange(long start, long length) {

    /** The range to serve, null for the whole blob, or {@link #UNSATISFIABLE}. */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    return UNSATISFIABLE;
                }
                long start = Math.max(0, size - suffix);
                return new ByteRange(start, size - start);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start < 0 || start >= size || end < start) {
                return start >= size || end < start ? UNSATISFIABLE : null;
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
