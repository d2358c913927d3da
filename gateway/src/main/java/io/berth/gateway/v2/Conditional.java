package io.berth.gateway.v2;

import io.berth.gateway.http.Exchange;
import io.berth.store.oci.Digest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Conditional reads (RFC 9110 §13) of blobs and manifests, whose entity tag is their quoted
 * digest: {@code If-None-Match} answers 304 when the client already holds the content, and
 * {@code If-Range} lets a resumed download get its range only while the tag still matches.
 * Content-addressed paths make a mismatch rare, but a client that asks deserves the answer.
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
