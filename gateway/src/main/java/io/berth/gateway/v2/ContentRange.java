package io.berth.gateway.v2;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

/**
 * The {@code Content-Range} of an upload chunk: {@code <start>-<end>}, inclusive. Docker sends
 * it without a unit; a {@code bytes } prefix is accepted too. A malformed one is answered with
 * 416, as the spec's earlier text listed ("Invalid Content-Range header format"); a range whose
 * length is not the body's is {@code SIZE_INVALID}.
 */
record ContentRange(long start, long end) {

    static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("bytes ")) {
            value = value.substring("bytes ".length()).trim();
        }
        int slash = value.indexOf('/');
        if (slash >= 0) {
            value = value.substring(0, slash);
        }
        int dash = value.indexOf('-');
        try {
            long start = Long.parseLong(value.substring(0, dash));
            long end = Long.parseLong(value.substring(dash + 1));
            if (start < 0 || end < start) {
                throw invalid(header);
            }
            return new ContentRange(start, end);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw invalid(header);
        }
    }

    long length() {
        return end - start + 1;
    }

    private static RegistryException invalid(String header) {
        return new RegistryException(ErrorCode.CHUNK_OUT_OF_ORDER, "Content-Range '" + header + "' is not <start>-<end>", header);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
