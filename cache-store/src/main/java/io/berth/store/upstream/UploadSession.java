package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException.Kind;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upload session at a registry: the base URL it was opened under, its current location (each
 * answer may move it: Distribution signs the upload's state into the query), and the smallest
 * chunk the registry takes. A location must stay on the registry's own origin: the session's
 * requests carry the endpoint's credentials, and Berth sends those nowhere else.
 *
 * @param base     the endpoint URL the session was opened under
 * @param location where the session's next request goes
 * @param minChunk the registry's {@code OCI-Chunk-Min-Length}, or 0
 */
record UploadSession(URI base, URI location, long minChunk) {
    /** {@code 0-<last>}, or {@code bytes=0-<last>} as some registries write it. */
    private static final Pattern RANGE = Pattern.compile("\\s*(?:bytes\\s*=\\s*)?0-(\\d{1,18})\\s*",
            Pattern.CASE_INSENSITIVE);

    /** The session an answer opened or moved to: its {@code Location}, resolved against where the request went. */
    static UploadSession opened(URI base, UpstreamResponse r, String what) throws UpstreamException {
        long minChunk = ResponseHeaders.number(r.header("OCI-Chunk-Min-Length").orElse(null)).orElse(0);
        return new UploadSession(base, locate(base, r, what).orElseThrow(() -> invalid("the registry answered "
                + what + " with " + r.status() + " but no Location for the upload")), minChunk);
    }

    /** This session moved to the answer's {@code Location}, or where it was when the answer has none. */
    UploadSession movedBy(UpstreamResponse r, String what) throws UpstreamException {
        URI next = locate(base, r, what).orElse(location);
        return new UploadSession(base, next, minChunk);
    }

    /** The location with {@code digest=} added to its query: where the closing {@code PUT} goes. */
    URI withDigest(Digest digest) {
        String text = location.toString();
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        return URI.create(text + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    }

    /** A URL's path and query, for a {@link Call}. */
    static String pathOf(URI target) {
        return target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    }

    /**
     * The bytes the registry holds by the answer's {@code Range} ({@code 0-<last>}); empty without one.
     * {@code 0-0} reads as none: Distribution (and Berth) answer it for an empty session, and a
     * registry that holds one byte refuses the resent chunk, which starts the session again.
     */
    static OptionalLong stored(UpstreamResponse r) {
        Matcher m = RANGE.matcher(r.header("Range").orElse(""));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long last = Long.parseLong(m.group(1));
        return OptionalLong.of(last == 0 ? 0 : last + 1);
    }

    private static Optional<URI> locate(URI base, UpstreamResponse r, String what) throws UpstreamException {
        Optional<String> header = r.header("Location").map(String::strip).filter(h -> !h.isEmpty());
        if (header.isEmpty()) {
            return Optional.empty();
        }
        URI next;
        try {
            next = r.uri().resolve(header.get());
        } catch (IllegalArgumentException e) {
            throw invalid("the registry answered " + what + " with a malformed upload Location");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
            throw invalid("the registry answered " + what + " with an upload Location that is not an http(s) URL");
        }
        if (!CredentialBoundary.sameOrigin(base, next)) {
            throw invalid("the registry answered " + what + " with an upload Location on " + CredentialBoundary.origin(next)
                    + ", not on its own origin " + CredentialBoundary.origin(base) + "; Berth sends uploads (and the"
                    + " endpoint's credentials) nowhere else. Check the URL the registry believes it has (its external"
                    + " URL or http.host setting, or the X-Forwarded-Proto of a proxy in front of it)");
        }
        return Optional.of(next);
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(Kind.INVALID_RESPONSE, 0, null, message, null);
    }
}
