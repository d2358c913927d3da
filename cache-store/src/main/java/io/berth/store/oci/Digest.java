package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A content digest, {@code algorithm:hex}. Only registered algorithms with their exact hex length
 * are accepted ({@code sha256} required by the spec, {@code sha512} allowed), so a parsed digest is
 * always safe to use as part of a file path.
 */
public final class Digest implements Comparable<Digest> {

    /** The digest algorithms the store accepts. */
    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String prefix;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String prefix, String jcaName, int hexLength) {
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String prefix() {
            return prefix;
        }

        public MessageDigest newHasher() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jcaName, e);
            }
        }

        /** The algorithm a digest names with {@code prefix} ("sha256"), if the store accepts it. */
        public static Optional<Algorithm> byPrefix(String prefix) {
            for (Algorithm a : values()) {
                if (a.prefix.equals(prefix)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final Algorithm algorithm;
    private final String hex;

    private Digest(Algorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /** Parses {@code sha256:<64 lowercase hex>} or {@code sha512:<128 lowercase hex>}. */
    public static Digest parse(String text) {
        return tryParse(text).orElseThrow(() -> new RegistryException(ErrorCode.DIGEST_INVALID,
                "'" + abbreviate(text) + "' is not a valid digest: use sha256:<64 lowercase hex digits>"
                        + " or sha512:<128 lowercase hex digits>", abbreviate(text)));
    }

    public static Optional<Digest> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        Optional<Algorithm> algorithm = Algorithm.byPrefix(text.substring(0, colon));
        if (algorithm.isEmpty()) {
            return Optional.empty();
        }
        String hex = text.substring(colon + 1);
        if (hex.length() != algorithm.get().hexLength || !isLowerHex(hex)) {
            return Optional.empty();
        }
        return Optional.of(new Digest(algorithm.get(), hex));
    }

    /** The digest of a finished hash computation. */
    public static Digest of(Algorithm algorithm, byte[] rawDigest) {
        return new Digest(algorithm, HEX.formatHex(rawDigest));
    }

    /** The sha256 digest of the given bytes. */
    public static Digest sha256(byte[] content) {
        return of(Algorithm.SHA256, Algorithm.SHA256.newHasher().digest(content));
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm.prefix + ':' + hex;
    }

}
