package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code <reference>} of a manifest request: either a tag or a digest, never both. */
public final class Reference {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private final String tag;
    private final Digest digest;

    private Reference(String tag, Digest digest) {
        this.tag = tag;
        this.digest = digest;
    }

    /** A reference containing ':' is read as a digest, anything else as a tag. */
    public static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return new Reference(null, Digest.parse(text));
        }
        return ofTag(text);
    }

    public static Reference ofTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new RegistryException(ErrorCode.TAG_INVALID, "'" + tag + "' is not a valid tag: use up to 128"
                    + " letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return new Reference(tag, null);
    }

    public static Reference of(Digest digest) {
        return new Reference(null, digest);
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    public boolean isDigest() {
        return digest != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reference r && toString().equals(r.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return digest != null ? digest.toString() : tag;
    }
}
