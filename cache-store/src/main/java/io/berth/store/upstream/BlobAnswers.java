package io.berth.store.upstream;

import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an upstream's answers about blobs: a {@code HEAD}'s size, and a {@code GET}'s body handed
 * on as a stream from the offset asked for, whether the upstream honoured the {@code Range} (206)
 * or sent the whole blob (200, whose first bytes are then skipped here).
 */
final class BlobAnswers {
    private static final Pattern CONTENT_RANGE = Pattern.compile("\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18})\\s*",
            Pattern.CASE_INSENSITIVE);

    private BlobAnswers() {
    }

    static OptionalLong head(UpstreamResponse r, String what) throws UpstreamException {
        if (r.status() == 404) {
            return OptionalLong.empty();
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        return OptionalLong.of(r.contentLength().orElseThrow(() -> invalid("the upstream answered " + what
                + " without a Content-Length")));
    }

    static Optional<BlobStream> get(UpstreamResponse r, long offset, String what) throws UpstreamException {
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() == 416) {
            throw invalid("the upstream has fewer than " + offset + " bytes to " + what + " (416 Range Not Satisfiable)");
        }
        if (r.status() == 206) {
            Matcher range = CONTENT_RANGE.matcher(r.header("Content-Range").orElse(""));
            if (!range.matches() || Long.parseLong(range.group(1)) != offset) {
                throw invalid("the upstream answered the range request to " + what + " with another range");
            }
            long size = Long.parseLong(range.group(3));
            long length = Long.parseLong(range.group(2)) - offset + 1;
            if (length != size - offset) {
                throw invalid("the upstream answered " + what + " with a part of the rest of the blob only");
            }
            return Optional.of(new BlobStream(r.detach(), offset, length, size));
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        long size = r.contentLength().orElseThrow(() -> invalid("the upstream answered " + what
                + " without a Content-Length"));
        if (offset > size) {
            throw invalid("the blob to " + what + " has only " + size + " bytes, fewer than the offset " + offset);
        }
        if (offset > 0) {
            try {
                r.body().skipNBytes(offset);
            } catch (UpstreamException e) {
                throw e;
            } catch (IOException e) {
                throw new UpstreamException(Kind.UNREACHABLE, 0, null, "skipping to the offset failed: " + e.getMessage(), e);
            }
        }
        return Optional.of(new BlobStream(r.detach(), offset, size - offset, size));
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(Kind.INVALID_RESPONSE, 0, null, message, null);
    }
}
