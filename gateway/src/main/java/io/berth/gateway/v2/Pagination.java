package io.berth.gateway.v2;

import io.berth.gateway.http.Exchange;
import io.berth.gateway.error.OciError;
import io.berth.gateway.error.OciException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code n} and {@code last} parameters of tag and catalog listings, and the {@code Link} to the next page. */
record Pagination(int limit, String last) {
    /** Without {@code n}, a listing returns this many entries, with a Link when more follow. */
    static final int DEFAULT_LIMIT = 10_000;

    static Pagination of(Exchange exchange) {
        String n = exchange.query("n");
        int limit = DEFAULT_LIMIT;
        if (n != null) {
            try {
                limit = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0 || limit > DEFAULT_LIMIT) {
                throw new OciException(OciError.PAGINATION_NUMBER_INVALID,
                        "n must be a whole number from 0 to " + DEFAULT_LIMIT, n);
            }
        }
        return new Pagination(limit, exchange.query("last"));
    }

    /** The RFC 5988 link to the page after {@code lastItem}. */
    String nextLink(String path, String lastItem) {
        return "<" + path + "?n=" + limit + "&last=" + URLEncoder.encode(lastItem, StandardCharsets.UTF_8)
                + ">; rel=\"next\"";
    }
}
