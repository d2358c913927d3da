package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A plain-HTTP client of the registry's V2 API (java.net.http), for what the real clients cannot show.
 *
 * <p>It signs in one of three ways: not at all ({@link #anonymous}); with Basic credentials on every
 * request ({@link #withBasic}), which Berth accepts directly on its V2 routes; or as docker, podman,
 * skopeo and containerd do ({@link #withTokens}): a request answered 401 with a
 * {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} challenge makes it fetch a token from the
 * realm ({@code GET} with Basic credentials, the scopes asked so far for that repository merged, so
 * a pull after a push does not lose the push) and send the request again with
 * {@code Authorization: Bearer <token>}; later requests to the same repository carry that token
 * from the start.
 */
public final class V2Client {
    public static final String MANIFEST_ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+?)/(blobs|manifests|tags|referrers)/.*");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private enum SignIn { NONE, BASIC, TOKENS }

    private final URI base;
    private final HttpClient http;
    private final SignIn signIn;
    private final String basic;
    /** Bearer tokens by resource ({@code repository:<name>}, {@code registry:catalog}, {@code base}). */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** The actions asked for so far, by scope resource ({@code repository:<name>}). */
    private final Map<String, Set<String>> actionsAsked = new ConcurrentHashMap<>();
    private final AtomicInteger tokenFetches = new AtomicInteger();

    private V2Client(URI base, SignIn signIn, String user, String password) {
        this.base = base;
        this.signIn = signIn;
        this.basic = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A client that never signs in. */
    public static V2Client anonymous(URI base) {
        return new V2Client(base, SignIn.NONE, null, null);
    }

    /** A client that sends {@code Authorization: Basic …} with every request. */
    public static V2Client withBasic(URI base, String user, String password) {
        return new V2Client(base, SignIn.BASIC, user, password);
    }

    /** A client that answers challenges with tokens from the registry's token service, as real clients do. */
    public static V2Client withTokens(URI base, String user, String password) {
        return new V2Client(base, SignIn.TOKENS, user, password);
    }

    public HttpClient http() {
        return http;
    }

    /** How many tokens this client fetched from the token service. */
    public int tokenFetches() {
        return tokenFetches.get();
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** A request builder; {@link #send} adds the credentials. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofMinutes(2));
    }

    public HttpResponse<byte[]> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends the request with this client's credentials; when a token client is challenged, fetches
     * a token and sends it once more (so the request's body must be one that can be sent again).
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response = raw(authorized(request), handler);
        if (signIn == SignIn.TOKENS && response.statusCode() == 401) {
            Optional<Map<String, String>> challenge = bearerChallenge(response);
            if (challenge.isPresent()) {
                discard(response);
                tokens.put(resourceOf(request.uri()), fetchToken(challenge.get()));
                response = raw(authorized(request), handler);
            }
        }
        return response;
    }

    /**
     * The request with this client's credentials as they are now: Basic, or the token held for its
     * repository (none yet: sent without, to be challenged). For requests sent by other means, such
     * as a body that cannot be sent twice.
     */
    public HttpRequest authorized(HttpRequest request) {
        String authorization = switch (signIn) {
            case NONE -> null;
            case BASIC -> basic;
            case TOKENS -> {
                String token = tokens.get(resourceOf(request.uri()));
                yield token == null ? null : "Bearer " + token;
            }
        };
        if (authorization == null) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", authorization).build();
    }

    private <T> HttpResponse<T> raw(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try (in) {
                in.readAllBytes();
            } catch (IOException e) {
                // the answer was a refusal: nothing in it is needed
            }
        }
    }

    /** The parameters of a {@code WWW-Authenticate: Bearer …} header, when the response has one. */
    public static Optional<Map<String, String>> bearerChallenge(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .findFirst()
                .map(v -> {
                    Map<String, String> params = new LinkedHashMap<>();
                    Matcher m = CHALLENGE_PARAM.matcher(v.substring(7));
                    while (m.find()) {
                        params.put(m.group(1), m.group(2));
                    }
                    return params;
                });
    }

    /** {@code repository:<name>} for a repository's routes (uploads included), else the path's kind. */
    private static String resourceOf(URI uri) {
        String path = uri.getRawPath();
        Matcher m = REPOSITORY_PATH.matcher(path);
        if (m.matches()) {
            return "repository:" + m.group(1);
        }
        return path.startsWith("/v2/_catalog") ? "registry:catalog" : "base";
    }

    /** A token from the challenge's realm for its scopes, with every action asked before for the same resources. */
    private String fetchToken(Map<String, String> challenge) {
        String realm = challenge.get("realm");
        assertNotNull(realm, "the challenge names no realm: " + challenge);
        StringBuilder query = new StringBuilder();
        if (challenge.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8));
        }
        for (String scope : scopes(challenge.getOrDefault("scope", ""))) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        HttpResponse<byte[]> r = raw(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> "GET " + uri + ": " + new String(r.body(), StandardCharsets.UTF_8));
        tokenFetches.incrementAndGet();
        JsonNode body = parse(r.body());
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
        assertNotNull(token, "no token in " + new String(r.body(), StandardCharsets.UTF_8));
        return token;
    }

    /** The challenge's scopes, each with the actions asked for its resource so far added. */
    private List<String> scopes(String challenged) {
        List<String> scopes = new ArrayList<>();
        for (String scope : challenged.trim().split("\\s+")) {
            int last = scope.lastIndexOf(':');
            if (last <= 0) {
                continue;
            }
            String resource = scope.substring(0, last);
            Set<String> actions = actionsAsked.compute(resource, (k, asked) -> {
                Set<String> merged = asked == null ? new LinkedHashSet<>() : new LinkedHashSet<>(asked);
                merged.addAll(List.of(scope.substring(last + 1).split(",")));
                return merged;
            });
            scopes.add(resource + ":" + String.join(",", actions));
        }
        return scopes;
    }

    /** A manifest as the registry serves it. */
    public record Manifest(int status, byte[] bytes, String mediaType, String digest) {}

    public Manifest manifest(String repo, String reference) {
        HttpResponse<byte[]> r = send(request("/v2/" + repo + "/manifests/" + reference)
                .header("Accept", MANIFEST_ACCEPT).GET().build());
        return new Manifest(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Docker-Content-Digest").orElse(null));
    }

    public HttpResponse<byte[]> putManifest(String repo, String reference, String mediaType, byte[] bytes) {
        return send(request("/v2/" + repo + "/manifests/" + reference).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Status of {@code GET /v2/<repo>/blobs/<digest>}, and the sha256 of the body when 200. */
    public record BlobCheck(int status, String actualDigest) {}

    public BlobCheck blob(String repo, String digest) {
        try {
            HttpResponse<InputStream> r = send(request("/v2/" + repo + "/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    in.readAllBytes();
                    return new BlobCheck(r.statusCode(), null);
                }
                return new BlobCheck(200, E2e.sha256(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET blob " + digest + ": " + e, e);
        }
    }

    /** Fails unless the blob is served whole with the right digest. */
    public void assertBlob(String repo, String digest) {
        BlobCheck check = blob(repo, digest);
        assertEquals(200, check.status(), "GET /v2/" + repo + "/blobs/" + digest);
        assertEquals(digest, check.actualDigest(), "content of blob " + digest + " in " + repo);
    }

    /** Uploads a blob in one piece ({@code POST}, then {@code PUT ?digest=} with the body); returns its digest. */
    public String pushBlob(String repo, byte[] content) {
        String digest = E2e.sha256(content);
        HttpResponse<byte[]> start = send(request("/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(202, start.statusCode(), () -> "POST upload: " + new String(start.body()));
        String location = start.headers().firstValue("Location").orElse(null);
        assertNotNull(location, "upload Location");
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(uploadUri(location, "digest=" + digest))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertEquals(201, put.statusCode(), () -> "PUT upload: " + new String(put.body()));
        return digest;
    }

    /** The upload URL from a {@code Location} header, with a query parameter appended. */
    public URI uploadUri(String location, String query) {
        URI loc = base.resolve(location);
        String sep = loc.getRawQuery() == null ? "?" : "&";
        return URI.create(loc + (query == null ? "" : sep + query));
    }

    public JsonNode json(String pathAndQuery) {
        HttpResponse<byte[]> r = send(request(pathAndQuery).GET().build());
        assertEquals(200, r.statusCode(), () -> "GET " + pathAndQuery + ": " + new String(r.body()));
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " is not JSON: " + new String(r.body()), e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(json), e);
        }
    }
}
