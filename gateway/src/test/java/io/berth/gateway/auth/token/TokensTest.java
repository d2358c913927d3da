package io.berth.gateway.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Scope;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registry tokens: what they carry, and every way a bad one is refused. */
class TokensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenSettings SETTINGS = new TokenSettings("berth-token-issuer", "berth",
            TokenSettings.DEFAULT_LIFETIME, TokenSettings.DEFAULT_LEEWAY);
    private static final Scope PULL_APP = Scope.repository(RepositoryName.parse("team/app"), Action.PULL);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final SigningKey key = SigningKey.generate();
    private final Tokens tokens = new Tokens(key, SETTINGS, clock);

    @Test
    void issuedToken_carriesTheDockerClaims_andVerifies() throws IOException {
        IssuedToken issued = tokens.issue("alice", List.of(PULL_APP));

        JsonNode header = part(issued.token(), 0);
        JsonNode claims = part(issued.token(), 1);
        assertEquals("ES256", header.get("alg").asText());
        assertEquals(key.keyId(), header.get("kid").asText());
        for (String claim : List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti")) {
            assertTrue(claims.has(claim), claim + " in " + claims);
        }
        assertEquals("[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]}]",
                claims.get("access").toString());
        assertEquals(1800, issued.expiresIn());

        VerifiedToken verified = tokens.verify(issued.token());
        assertEquals("alice", verified.subject());
        assertEquals(List.of(PULL_APP), verified.access());
        assertEquals(clock.instant(), verified.issuedAt());
    }

    @Test
    void aTokenForPull_doesNotCoverPush_norAnotherRepository() {
        VerifiedToken verified = tokens.verify(tokens.issue("alice", List.of(PULL_APP)).token());

        assertTrue(verified.covers(PULL_APP));
        assertFalse(verified.covers(Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH)));
        assertFalse(verified.covers(Scope.repository(RepositoryName.parse("team/other"), Action.PULL)));
    }

    @Test
    void anExpiredToken_isRefused_butNotWithinTheLeeway() {
        String token = tokens.issue("alice", List.of(PULL_APP)).token();

        clock.advance(TokenSettings.DEFAULT_LIFETIME.plus(Duration.ofSeconds(10)));
        assertEquals("alice", tokens.verify(token).subject(), "10 s late is within the leeway");
        clock.advance(TokenSettings.DEFAULT_LEEWAY);
        assertRefused(token, "expired");
    }

    @Test
    void aTokenSeenBefore_isKnownWithoutASignatureCheck_untilItExpires() {
        String token = tokens.issue("alice", List.of(PULL_APP)).token();
        assertNull(tokens.alreadyVerified(token), "not seen yet");

        tokens.verify(token);
        assertEquals("alice", tokens.alreadyVerified(token).subject());

        clock.advance(TokenSettings.DEFAULT_LIFETIME.plus(TokenSettings.DEFAULT_LEEWAY).plusSeconds(1));
        RegistryException e = assertThrows(RegistryException.class, () -> tokens.alreadyVerified(token));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertRefused(token, "expired");
    }

    @Test
    void aTokenFromTheFuture_isRefused() {
        String token = tokens.issue("alice", List.of(PULL_APP)).token();

        clock.advance(Duration.ofMinutes(-5));
        assertRefused(token, "not valid yet");
    }

    @Test
    void aTokenSignedWithAnotherKey_isRefused() {
        String foreign = new Tokens(SigningKey.generate(), SETTINGS, clock).issue("alice", List.of(PULL_APP)).token();

        assertRefused(foreign, "signature");
    }

    @Test
    void aTokenForAnotherServiceOrIssuer_isRefused() {
        TokenSettings otherService = new TokenSettings(SETTINGS.issuer(), "elsewhere", SETTINGS.lifetime(),
                SETTINGS.leeway());
        TokenSettings otherIssuer = new TokenSettings("someone-else", SETTINGS.service(), SETTINGS.lifetime(),
                SETTINGS.leeway());

        assertRefused(new Tokens(key, otherService, clock).issue("alice", List.of(PULL_APP)).token(), "another registry");
        assertRefused(new Tokens(key, otherIssuer, clock).issue("alice", List.of(PULL_APP)).token(), "another registry");
    }

    @Test
    void aTokenWhoseAccessWasWidenedAfterSigning_isRefused() throws IOException {
        String token = tokens.issue("alice", List.of(PULL_APP)).token();
        String[] parts = token.split("\\.");
        ObjectNode claims = (ObjectNode) part(token, 1);
        ((ObjectNode) claims.get("access").get(0)).putArray("actions").add("pull").add("push").add("delete");
        String widened = parts[0] + "." + base64(JSON.writeValueAsBytes(claims)) + "." + parts[2];

        assertRefused(widened, "signature");
    }

    @Test
    void unsignedAndMalformedTokens_areRefused() throws IOException {
        String token = tokens.issue("alice", List.of(PULL_APP)).token();
        String unsigned = base64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + token.split("\\.")[1] + ".";

        assertRefused(unsigned, "");
        assertRefused("not-a-token", "malformed");
        assertRefused("", "malformed");
    }

    @Test
    void refreshTokens_buyAccessTokens_butAreNeverOne_andTheOtherWayRound() {
        String refresh = tokens.issueRefresh("alice");
        String access = tokens.issue("alice", List.of(PULL_APP)).token();

        assertEquals("alice", tokens.verifyRefresh(refresh).subject());
        assertRefused(refresh, "not an access token");
        RegistryException e = assertThrows(RegistryException.class, () -> tokens.verifyRefresh(access));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        clock.advance(Tokens.REFRESH_LIFETIME.plusMinutes(1));
        assertThrows(RegistryException.class, () -> tokens.verifyRefresh(refresh), "expired");
    }

    @Test
    void theSigningKey_isWrittenForItsOwnerOnly_andReadBackTheSame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys/token-signing-key.pem");

        SigningKey created = SigningKey.loadOrCreate(file);
        SigningKey read = SigningKey.loadOrCreate(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(created.keyId(), read.keyId());
        String token = new Tokens(created, SETTINGS, clock).issue("alice", List.of(PULL_APP)).token();
        assertEquals("alice", new Tokens(read, SETTINGS, clock).verify(token).subject());
    }

    @Test
    void aFileThatIsNotAKey_saysWhatToDo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token-signing-key.pem");
        Files.writeString(file, "garbage");

        IOException e = assertThrows(IOException.class, () -> SigningKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains("remove it to have a new key made"), e.getMessage());
    }

    private void assertRefused(String token, String says) {
        RegistryException e = assertThrows(RegistryException.class, () -> tokens.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        if (!token.isEmpty()) {
            assertFalse(e.getMessage().contains(token), "a refusal never repeats the token");
        }
    }

    private static JsonNode part(String token, int index) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
