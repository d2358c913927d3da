package io.berth.gateway.v2;

import io.berth.gateway.http.Exchange;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The {@code n} and {@code last} parameters of tag and catalog listings, and the {@code Link} to the next page. */
record Pagination(int limit, String last) {
    /**
     * The most entries one page holds, and the page size without {@code n}. A larger {@code n} is
     * answered with this many and a {@code Link} to the rest, as the spec allows.
     */
    static final int MAX_LIMIT = 10_000;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,100}");

    static Pagination of(Exchange exchange) {
        return new Pagination(limit(exchange.query("n")), exchange.query("last"));
    }

    /** The page size for an {@code n} parameter (null when absent); 400 unless a whole number of 0 or more. */
    static int limit(String n) {
        if (n == null) {
            return MAX_LIMIT;
        }
        if (!DIGITS.matcher(n).matches()) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a whole number of 0 or more", n);
        }
        return n.length() > 9 ? MAX_LIMIT : Math.min(Integer.parseInt(n), MAX_LIMIT);
    }

    /** The RFC 5988 link to the page after {@code lastItem}. */
    String nextLink(String path, String lastItem) {
        return nextLink(path, lastItem, null);
    }

    /** The link to the page after {@code lastItem} of a read routed by {@code namespace} (kept in it; null: none). */
    String nextLink(String path, String lastItem, String namespace) {
        return "<" + path + "?n=" + limit + "&last=" + URLEncoder.encode(lastItem, StandardCharsets.UTF_8)
                + (namespace == null ? "" : "&ns=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8))
                + ">; rel=\"next\"";
    }
}
