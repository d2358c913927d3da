package io.berth.admin.api;

import io.berth.store.Inventory.Listing;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.List;

/**
 * The {@code page} and {@code page_size} query parameters of an admin listing, as Harbor's API has
 * them, and the answer they shape: the page's entries, {@code X-Total-Count}, and {@code Link}
 * headers to the next and previous pages.
 *
 * @param page     which page, from 1
 * @param pageSize entries per page, 1 to {@link #MAX_PAGE_SIZE}
 */
public record PageRequest(int page, int pageSize) {
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;

    /**
     * Validates the raw parameters (null when absent); a bad one is a 400 that says what is allowed.
     * They are taken as text: Jersey would answer 404 for a number it cannot convert.
     */
    public static PageRequest of(String page, String pageSize) {
        int p = page == null ? 1 : number("page", page);
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : number("page_size", pageSize);
        if (p < 1) {
            throw new BadRequestException("page must be 1 or more, not " + p);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadRequestException("page_size must be between 1 and " + MAX_PAGE_SIZE + ", not " + size);
        }
        return new PageRequest(p, size);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /** A 200 with the listing's entries and its paging headers. */
    public Response respond(Listing<?> listing, UriInfo uri) {
        return respond(listing.items(), listing.total(), uri);
    }

    /** A 200 with one page's {@code items}, {@code X-Total-Count: total} and links to the pages beside it. */
    public Response respond(List<?> items, long total, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(items).header("X-Total-Count", total);
        StringBuilder links = new StringBuilder();
        if ((long) page * pageSize < total) {
            links.append(link(uri, page + 1, "next"));
        }
        if (page > 1) {
            if (!links.isEmpty()) {
                links.append(", ");
            }
            links.append(link(uri, page - 1, "prev"));
        }
        if (!links.isEmpty()) {
            response.header("Link", links.toString());
        }
        return response.build();
    }

    private String link(UriInfo uri, int target, String rel) {
        URI page = uri.getRequestUriBuilder().replaceQueryParam("page", target)
                .replaceQueryParam("page_size", pageSize).build();
        return "<" + page.getRawPath() + "?" + page.getRawQuery() + ">; rel=\"" + rel + "\"";
    }
}
