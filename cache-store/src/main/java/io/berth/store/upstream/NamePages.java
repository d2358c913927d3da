package io.berth.store.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a page of names from a registry's JSON answer (the {@code tags} of a tag list, the
 * {@code repositories} of the catalog): bounded while it arrives, names that are not valid left
 * out, and whether there is more (a {@code Link rel="next"}, or more names than asked for).
 */
final class NamePages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NamePages() {
    }

    /** Names, and whether the registry has more after them. */
    record Page(List<String> names, boolean more) {
    }

    /**
     * @param field the JSON field that lists the names
     * @param whose what the answer is, for a message ("the upstream's tag list")
     */
    static Page read(UpstreamResponse r, String field, Predicate<String> valid, int limit, int maxSize, String what,
                     String whose) throws UpstreamException {
        boolean more = ResponseHeaders.hasNextLink(r.headers());
        JsonNode root;
        try {
            root = JSON.readTree(r.readAtMost(maxSize, "the answer to " + what));
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException e) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, whose + " is malformed JSON");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : root == null ? JSON.createArrayNode() : root.path(field)) {
            if (name.isTextual() && valid.test(name.asText())) {
                names.add(name.asText());
            }
        }
        if (limit > 0 && names.size() > limit) {
            return new Page(names.subList(0, limit), true);
        }
        return new Page(names, more);
    }
}
