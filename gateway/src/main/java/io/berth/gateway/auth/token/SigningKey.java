package io.berth.gateway.auth.token;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EC P-256 key pair that signs registry tokens (ES256), with its key id: the RFC 7638
 * thumbprint of the public key, which tokens carry in their {@code kid} header. Generated on first
 * start into a file only its owner may read (never in the repository), and read from it afterwards.
 */
public final class SigningKey {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = Jwks.builder().key((ECPublicKey) publicKey).idFromThumbprint().build().getId();
    }

    /** A new key pair, kept in memory only. */
    public static SigningKey generate() {
        KeyPair pair = Jwts.SIG.ES256.keyPair().build();
        return new SigningKey(pair.getPrivate(), pair.getPublic());
    }

    /**
     * The key in {@code file}, or a new one written there (mode 0600) when there is none. Of two
     * processes creating it at once, both end up with the one that reached the file first.
     */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        SigningKey key = generate();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".signing-key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, pem("PRIVATE KEY", key.privateKey.getEncoded())
                    + pem("PUBLIC KEY", key.publicKey.getEncoded()), StandardCharsets.US_ASCII);
            Files.move(temp, file); // fails rather than replace a key another process wrote meanwhile
            return key;
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static SigningKey read(Path file) throws IOException {
        Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        byte[] privateDer = null;
        byte[] publicDer = null;
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
            switch (m.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> {
                }
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IOException(file + " does not hold a token signing key (a PRIVATE KEY and a PUBLIC KEY block):"
                    + " remove it to have a new key made (tokens signed with the old one stop working)");
        }
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            return new SigningKey(ec.generatePrivate(new PKCS8EncodedKeySpec(privateDer)),
                    ec.generatePublic(new X509EncodedKeySpec(publicDer)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " holds a key that is not an EC key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** The {@code kid} of tokens it signs. */
    public String keyId() {
        return keyId;
    }
}
