package io.berth.gateway.v2;

import io.berth.gateway.http.Exchange;
import io.berth.store.ManifestPrecondition;
import io.berth.store.oci.Digest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Conditional requests (RFC 9110 §13) on blobs and manifests, whose entity tag is their quoted
 * digest: {@code If-None-Match} on a read answers 304 when the client already holds the content,
 * {@code If-Range} lets a resumed download get its range only while the tag still matches, and
 * {@code If-Match} / {@code If-None-Match} on a manifest push make it apply only to the state the
 * client saw (412 otherwise).
 */
final class Conditional {
    private Conditional() {
    }

    /** The entity tag of content with this digest. */
    static String etag(Digest digest) {
        return "\"" + digest + "\"";
    }

    /** True when {@code If-None-Match} names this tag (weakly compared) or is {@code *}. */
    static boolean notModified(HttpHeaders headers, Digest digest) {
        String etag = etag(digest);
        for (String header : headers.getAll(HttpHeaderNames.IF_NONE_MATCH)) {
            for (String tag : header.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when a {@code Range} may be honoured: there is no {@code If-Range}, or it is this
     * (strong) tag. A date or another tag means the client's copy may differ: send everything.
     */
    static boolean rangeApplies(HttpHeaders headers, Digest digest) {
        String ifRange = headers.get(HttpHeaderNames.IF_RANGE);
        return ifRange == null || ifRange.trim().equals(etag(digest));
    }

    /**
     * The {@code If-Match} / {@code If-None-Match} of a manifest push as digests. If-Match compares
     * strongly, so a weak tag in it can never match; If-None-Match compares weakly.
     */
    static ManifestPrecondition precondition(HttpHeaders headers) {
        return new ManifestPrecondition(entityTags(headers, HttpHeaderNames.IF_MATCH, false),
                entityTags(headers, HttpHeaderNames.IF_NONE_MATCH, true));
    }

    private static List<String> entityTags(HttpHeaders headers, CharSequence name, boolean weakMatches) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (String header : values) {
            for (String tag : header.split(",")) {
                String t = tag.trim();
                if (t.startsWith("W/")) {
                    if (!weakMatches) {
                        continue;
                    }
                    t = t.substring(2);
                }
                if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                    t = t.substring(1, t.length() - 1);
                }
                tags.add(t);
            }
        }
        return tags;
    }

    /** A 304 carrying the validators the 200 would have had, and no body or length. */
    static FullHttpResponse notModifiedResponse(Digest digest) {
        FullHttpResponse response = Exchange.response(HttpResponseStatus.NOT_MODIFIED);
        HttpHeaders h = response.headers();
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.set(HttpHeaderNames.ETAG, etag(digest));
        h.set("Docker-Content-Digest", digest.toString());
        return response;
    }
}
