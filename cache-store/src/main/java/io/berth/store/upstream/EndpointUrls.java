package io.berth.store.upstream;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The base URLs of a registry endpoint: checked as people type them (http or https, a host, no
 * user info, query or fragment; a trailing slash dropped), and kept one per line in the
 * {@code registry_endpoint.urls} column.
 */
public final class EndpointUrls {
    /** Where Docker Hub's registry API answers: an endpoint of type docker-hub given no URL reaches it. */
    public static final URI DOCKER_HUB = URI.create("https://registry-1.docker.io");
    /** The most URLs (mirrors of one registry) an endpoint may list. */
    public static final int MAX_URLS = 10;
    private static final int MAX_LENGTH = 1024;
    private static final int MAX_STORED = 4000; // the column's size

    private EndpointUrls() {
    }

    /**
     * The URLs of an endpoint of {@code type}, in order, from what was given (null or empty: none).
     * A docker-hub endpoint given none reaches {@link #DOCKER_HUB}; any other needs at least one.
     * A bad one is {@code INVALID_INPUT} naming it.
     */
    public static List<URI> of(RegistryEndpoint.Type type, List<String> given) {
        if (given == null || given.isEmpty()) {
            if (type == RegistryEndpoint.Type.DOCKER_HUB) {
                return List.of(DOCKER_HUB);
            }
            throw invalid("a registry endpoint of type " + type.wireName() + " needs a URL ('url', or 'urls' for"
                    + " several mirrors of it), e.g. https://registry.example.org");
        }
        if (given.size() > MAX_URLS) {
            throw invalid("a registry endpoint lists at most " + MAX_URLS + " URLs, not " + given.size());
        }
        List<URI> urls = new ArrayList<>();
        for (String url : given) {
            URI parsed = parse(url);
            if (urls.contains(parsed)) {
                throw invalid("the URL " + parsed + " is listed twice");
            }
            urls.add(parsed);
        }
        if (join(urls).length() > MAX_STORED) {
            throw invalid("the URLs are too long together (at most " + MAX_STORED + " characters)");
        }
        return List.copyOf(urls);
    }

    /** One base URL, checked and normalised (scheme and host in lower case, no trailing slash). */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("a URL is empty: give the registry's base URL, e.g. https://registry.example.org");
        }
        String text = url.strip();
        String shown = withoutUserInfo(text);
        if (text.length() > MAX_LENGTH) {
            throw invalid("the URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("'" + shown + "' is not a URL (" + e.getReason() + "): give the registry's base URL, e.g."
                    + " https://registry.example.org");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("'" + shown + "' is not an http:// or https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("the URL '" + shown + "' carries a user name: give it in 'credential' instead,"
                    + " where it is kept encrypted");
        }
        if (uri.getHost() == null) {
            throw invalid("'" + shown + "' has no host name Berth can reach (letters, digits, dots and hyphens, or an"
                    + " IP address)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("'" + shown + "' has a query or a fragment: give the registry's base URL only");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.equals("/v2") || path.endsWith("/v2")) {
            throw invalid("'" + shown + "' ends with /v2: give the registry's base URL, without /v2");
        }
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path);
    }

    /** The column's text: one URL per line. */
    static String join(List<URI> urls) {
        return String.join("\n", urls.stream().map(URI::toString).toList());
    }

    /** The URLs of the column's text. */
    static List<URI> split(String stored) {
        return Arrays.stream(stored.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).map(URI::create).toList();
    }

    /** The URL as messages may repeat it: without a password someone put in it. */
    private static String withoutUserInfo(String text) {
        return text.replaceAll("//[^/?#]*@", "//…@");
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
