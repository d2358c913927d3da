package io.berth.store.proxy.preheat;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.ArrayList;
import java.util.List;

/**
 * What a preheat fetches: references in a proxy project, and optionally the platforms of an index
 * to fetch (none: every child of every index).
 *
 * @param references what to fetch, in order
 * @param platforms  which children of an index to fetch; empty: all of them
 */
public record PreheatRequest(List<PreheatReference> references, List<Platform> platforms) {
    /** The most references one job takes. */
    public static final int MAX_REFERENCES = 500;
    /** The most platforms one job takes. */
    public static final int MAX_PLATFORMS = 16;

    public PreheatRequest {
        references = List.copyOf(references);
        platforms = List.copyOf(platforms);
    }

    /**
     * Reads a request as the API receives it (platforms may be null); INVALID_INPUT names the first
     * bad reference or platform, so nothing is started for a request with a mistake in it.
     */
    public static PreheatRequest of(List<String> references, List<String> platforms) {
        if (references == null || references.isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "give 'references': the images to fetch, e.g."
                    + " [\"library/nginx:1.27\"]");
        }
        if (references.size() > MAX_REFERENCES) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, references.size() + " references are more than one"
                    + " preheat takes (" + MAX_REFERENCES + "): split them into several");
        }
        List<PreheatReference> parsed = new ArrayList<>();
        for (String reference : references) {
            parsed.add(PreheatReference.parse(reference));
        }
        List<Platform> filters = new ArrayList<>();
        if (platforms != null) {
            if (platforms.size() > MAX_PLATFORMS) {
                throw new RegistryException(ErrorCode.INVALID_INPUT, "give at most " + MAX_PLATFORMS + " platforms");
            }
            for (String platform : platforms) {
                filters.add(Platform.parse(platform));
            }
        }
        return new PreheatRequest(parsed, filters);
    }
}
