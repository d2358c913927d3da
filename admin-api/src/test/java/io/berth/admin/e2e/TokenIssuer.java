package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A token server for a registry with token authentication (the Docker token protocol), on
 * 127.0.0.1: {@code GET /token?service=&scope=…} with Basic credentials of one of its accounts is
 * answered with a JWT, signed RS256 with the certificate chain in its {@code x5c} header, that grants
 * each requested repository the actions the account may do; unknown accounts, wrong passwords and
 * anonymous requests get a 401. Distribution 2.8 verifies such a token against its
 * {@code rootcertbundle} ({@link #distributionAuthConfig()}). Every request is recorded
 * ({@link #requests()}), so a test can see who asked for which scopes.
 */
final class TokenIssuer implements AutoCloseable {
    static final String SERVICE = "berth-e2e-distribution";
    static final String ISSUER = "berth-e2e-token-issuer";
    private static final long LIFETIME_SECONDS = 300;

    /** An account of the issuer: its password and the repository actions it is granted (pull, push). */
    record Account(String name, String password, Set<String> actions) {}

    /**
     * One request for a token.
     *
     * @param user     the user name of its Basic credentials, or null when it had none
     * @param accepted whether the credentials were right (and a token was issued)
     * @param service  its {@code service} parameter
     * @param scopes   its {@code scope} parameters, in order
     */
    record Request(String user, boolean accepted, String service, List<String> scopes) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final SigningCertificate certificate;
    private final Path rootCertBundle;
    private final Map<String, Account> accounts;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private TokenIssuer(HttpServer server, SigningCertificate certificate, Path rootCertBundle, Map<String, Account> accounts) {
        this.server = server;
        this.certificate = certificate;
        this.rootCertBundle = rootCertBundle;
        this.accounts = accounts;
    }

    /** Starts an issuer for {@code accounts}, with a new key whose certificate is written into {@code dir}. */
    static TokenIssuer start(Path dir, Account... accounts) {
        SigningCertificate certificate = SigningCertificate.create(dir, ISSUER);
        Path bundle = certificate.writePem(dir.resolve("token-root.pem"));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenIssuer issuer = new TokenIssuer(server, certificate, bundle,
                    Arrays.stream(accounts).collect(Collectors.toUnmodifiableMap(Account::name, Function.identity())));
            server.createContext("/token", issuer::answer);
            server.setExecutor(issuer.threads);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of its token endpoint: a registry's {@code realm}. */
    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Distribution's {@code auth:} section that sends clients here and trusts this issuer's tokens. */
    String[] distributionAuthConfig() {
        return new String[] {"auth:", "  token:", "    realm: " + realm(), "    service: " + SERVICE,
                "    issuer: " + ISSUER, "    rootcertbundle: " + rootCertBundle};
    }

    /** Every request so far, oldest first. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests so far (say those of seeding the registry). */
    void forgetRequests() {
        requests.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String service = null;
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (name.equals("service")) {
                    service = value;
                } else if (name.equals("scope")) {
                    scopes.add(value);
                }
            }
            String[] basic = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
            Account account = basic == null ? null : accounts.get(basic[0]);
            boolean accepted = account != null && account.password().equals(basic[1]) && SERVICE.equals(service);
            requests.add(new Request(basic == null ? null : basic[0], accepted, service, List.copyOf(scopes)));
            if (!accepted) {
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"sign in with a valid"
                        + " username and password for service " + SERVICE + "\"}]}");
                return;
            }
            String token = token(account, scopes);
            ObjectNode body = V2Client.JSON.createObjectNode().put("token", token).put("access_token", token)
                    .put("expires_in", LIFETIME_SECONDS).put("issued_at", Instant.now().toString());
            send(exchange, 200, body.toString());
        }
    }

    /** A JWT for {@code account} granting, for each {@code type:name:actions} scope, the actions it may do. */
    private String token(Account account, List<String> scopes) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = V2Client.JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(certificate.x5cEntry());
        ObjectNode claims = V2Client.JSON.createObjectNode().put("iss", ISSUER).put("sub", account.name())
                .put("aud", SERVICE).put("exp", now + LIFETIME_SECONDS).put("nbf", now - 10).put("iat", now)
                .put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                continue;
            }
            ArrayNode granted = access.addObject().put("type", scope.substring(0, first))
                    .put("name", scope.substring(first + 1, last)).putArray("actions");
            for (String action : scope.substring(last + 1).split(",")) {
                if (account.actions().contains(action)) {
                    granted.add(action);
                }
            }
        }
        String signingInput = base64Url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + base64Url(certificate.sign(signingInput));
    }

    /** {@code [user, password]} of a Basic Authorization, or null. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
