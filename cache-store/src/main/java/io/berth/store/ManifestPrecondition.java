package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.List;
import java.util.Optional;

/**
 * The {@code If-Match} / {@code If-None-Match} conditions of a manifest push (RFC 9110 §13.1),
 * checked against what the pushed reference names now, inside the push's transaction: for a tag
 * the digest it points at, for a digest that digest when the repository holds it. Entity tags
 * are digests; {@code *} matches anything present. The OCI referrers tag schema relies on this to
 * update a shared tag without losing a concurrent writer's change.
 *
 * @param ifMatch     digests (or {@code *}) one of which must be current; null when not asked
 * @param ifNoneMatch digests (or {@code *}) none of which may be current; null when not asked
 */
public record ManifestPrecondition(List<String> ifMatch, List<String> ifNoneMatch) {
    /** No condition: the push always applies. */
    public static final ManifestPrecondition NONE = new ManifestPrecondition(null, null);

    public ManifestPrecondition {
        ifMatch = ifMatch == null ? null : List.copyOf(ifMatch);
        ifNoneMatch = ifNoneMatch == null ? null : List.copyOf(ifNoneMatch);
    }

    /** Whether there is anything to check (so the push need not read the current state). */
    public boolean isNone() {
        return ifMatch == null && ifNoneMatch == null;
    }

    /** Fails with {@link ErrorCode#PRECONDITION_FAILED} unless the conditions hold for {@code current}. */
    void check(String reference, Optional<String> current) {
        if (ifMatch != null && !matches(ifMatch, current)) {
            throw failed(reference, current, "If-Match");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, current)) {
            throw failed(reference, current, "If-None-Match");
        }
    }

    private static boolean matches(List<String> tags, Optional<String> current) {
        return current.isPresent() && (tags.contains("*") || tags.contains(current.get()));
    }

    private static RegistryException failed(String reference, Optional<String> current, String header) {
        return new RegistryException(ErrorCode.PRECONDITION_FAILED, header + " does not hold: " + reference
                + current.map(d -> " is " + d).orElse(" does not exist") + "; fetch it again and retry the push",
                current.orElse(null));
    }
}
