package io.berth.store.upstream;

import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter.CatalogPage;

import java.util.Optional;

/**
 * Reads a registry's answers to writes: the digest it gave a manifest (checked against the bytes
 * sent), whether a delete found something, a catalog page, and the refusals, which keep the
 * registry's error code and message so that whoever reads them knows what to fix.
 */
final class WriteAnswers {
    private WriteAnswers() {
    }

    /**
     * The failure for an answer other than the ones {@code what} expects: {@code UNSUPPORTED} for a
     * 405 or the code {@code UNSUPPORTED}, {@code REJECTED} for another 4xx, else an answer refused.
     */
    static UpstreamException refused(UpstreamResponse r, String what) {
        byte[] body = r.errorBody();
        String code = ErrorSummary.firstCode(body).orElse(null);
        String summary = ErrorSummary.of(body);
        String said = r.status() + (summary.isEmpty() ? "" : ": " + summary);
        if (r.status() == 405 || "UNSUPPORTED".equals(code)) {
            return new UpstreamException(Kind.UNSUPPORTED, r.status(), null, code, "the registry does not allow Berth"
                    + " to " + what + " (" + said + ")", null);
        }
        if (r.status() >= 400 && r.status() < 500) {
            return new UpstreamException(Kind.REJECTED, r.status(), null, code, "the registry refused to " + what
                    + " (" + said + ")", null);
        }
        return new UpstreamException(Kind.INVALID_RESPONSE, r.status(), null, code, "the registry answered " + said
                + " to " + what, null);
    }

    /** The digest the registry announced for what it stored, checked to be that of {@code sent} (same algorithm). */
    static Digest stored(UpstreamResponse r, Digest sent, byte[] bytes, String what) throws UpstreamException {
        Optional<String> header = r.header("Docker-Content-Digest").map(String::strip).filter(h -> !h.isEmpty());
        if (header.isEmpty()) {
            return sent;
        }
        Digest announced = Digest.tryParse(header.get()).orElseThrow(() -> new UpstreamException(Kind.INVALID_RESPONSE,
                "the registry answered " + what + " with a malformed Docker-Content-Digest"));
        Digest expected = bytes == null || announced.algorithm() == sent.algorithm() ? sent
                : Digest.of(announced.algorithm(), announced.algorithm().newHasher().digest(bytes));
        if (!announced.equals(expected)) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the registry answered " + what + " with the digest "
                    + announced + ", not " + expected + ": it stored other bytes than Berth sent");
        }
        return announced;
    }

    /** Whether a DELETE removed something (2xx) or found nothing (404). */
    static boolean deleted(UpstreamResponse r, String what) throws UpstreamException {
        if (r.status() / 100 == 2) {
            r.discard();
            return true;
        }
        if (r.status() == 404) {
            r.discard();
            return false;
        }
        throw refused(r, what);
    }

    /** A catalog page, or empty when the registry has none to show (404, 405, {@code UNSUPPORTED}). */
    static Optional<CatalogPage> catalog(UpstreamResponse r, int limit, int maxSize, String what)
            throws UpstreamException {
        if (r.status() == 404) {
            r.discard();
            return Optional.empty();
        }
        if (r.status() != 200) {
            UpstreamException e = refused(r, what);
            if (e.kind() == Kind.UNSUPPORTED) {
                return Optional.empty();
            }
            throw e;
        }
        NamePages.Page page = NamePages.read(r, "repositories", WriteAnswers::isRepositoryName, limit, maxSize, what,
                "the registry's catalog");
        return Optional.of(new CatalogPage(page.names(), page.more()));
    }

    private static boolean isRepositoryName(String text) {
        try {
            RepositoryName.parse(text);
            return true;
        } catch (RegistryException notOne) {
            return false;
        }
    }
}
