package io.berth.store.proxy.preheat;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

/**
 * One reference of a preheat request, as a user writes it for {@code docker pull} but without the
 * registry and project: {@code library/nginx:1.27}, {@code library/alpine@sha256:…},
 * {@code library/busybox} (the tag {@code latest}). When both a tag and a digest are given, the
 * digest is fetched, as docker does.
 *
 * @param text       the reference as given, which the job reports
 * @param repository the repository's name within the proxy project (its upstream name, before a
 *                   Docker Hub proxy adds {@code library/})
 * @param reference  the tag or digest to fetch
 */
public record PreheatReference(String text, String repository, Reference reference) {
    /** The tag of a reference that names none. */
    public static final String DEFAULT_TAG = "latest";

    /** Reads a reference; INVALID_INPUT names it and says what is wrong. */
    public static PreheatReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String name = text;
        Reference reference = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            Digest digest = Digest.tryParse(name.substring(at + 1)).orElseThrow(() -> invalid(text,
                    "the part after '@' is not a digest (sha256:<64 lowercase hex digits>)"));
            reference = Reference.of(digest);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            String tag = name.substring(colon + 1);
            if (!Reference.isValidTag(tag)) {
                throw invalid(text, "'" + tag + "' is not a valid tag (up to 128 letters, digits, '_', '.' or '-',"
                        + " not starting with '.' or '-')");
            }
            reference = reference == null ? Reference.ofTag(tag) : reference;
            name = name.substring(0, colon);
        }
        try {
            RepositoryName.parse(name);
        } catch (RegistryException e) {
            throw invalid(text, e.getMessage());
        }
        return new PreheatReference(text, name, reference == null ? Reference.ofTag(DEFAULT_TAG) : reference);
    }

    /** The repository a proxy project {@code project} serves this reference from (before any normalising). */
    public RepositoryName in(String project) {
        try {
            return RepositoryName.parse(project + '/' + repository);
        } catch (RegistryException e) {
            throw invalid(text, e.getMessage());
        }
    }

    static RegistryException invalid(String text, String why) {
        return new RegistryException(ErrorCode.INVALID_INPUT, "reference '" + text + "' cannot be preheated: " + why
                + "; write <repository>[:<tag>][@<digest>] as named in the proxy project, e.g. library/nginx:1.27");
    }
}
