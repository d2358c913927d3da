package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code berth verify}: whether a registry holds what a bundle carried. Every image's reference
 * (its tag, or its digest) must be there with the bundle's digest; every child the bundle holds
 * and every referrer must be there by digest. Each is one {@code HEAD}. Blocks on the network.
 */
public final class BundleVerifier {
    private final SourceRegistry registry;
    private final UnaryOperator<String> repositories;

    /**
     * @param registry     where the bundle was imported
     * @param repositories the repository an image went to, from its source repository (identity, or
     *                     e.g. the project an import put it under)
     */
    public BundleVerifier(SourceRegistry registry, UnaryOperator<String> repositories) {
        this.registry = registry;
        this.repositories = repositories;
    }

    /** One finding. */
    public enum Status {
        /** Present with the bundle's digest. */
        PRESENT,
        /** The tag or manifest is not there. */
        MISSING,
        /** The tag points at another digest. */
        DIFFERENT
    }

    /**
     * What was checked and found.
     *
     * @param what     the reference checked, at the verified registry ({@code repo:tag}, {@code repo@digest})
     * @param expected the bundle's digest
     * @param found    the digest found, or null when missing
     */
    public record Finding(String what, Status status, String expected, String found) {
        @Override
        public String toString() {
            return switch (status) {
                case PRESENT -> what + ": present";
                case MISSING -> what + ": missing (the bundle has " + expected + ")";
                case DIFFERENT -> what + ": points at " + found + ", the bundle has " + expected;
            };
        }
    }

    /** Every finding, and whether all is present. */
    public record Report(List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        public boolean ok() {
            return findings.stream().allMatch(f -> f.status() == Status.PRESENT);
        }

        /** The findings that are not {@link Status#PRESENT}. */
        public List<Finding> problems() {
            return findings.stream().filter(f -> f.status() != Status.PRESENT).toList();
        }
    }

    public Report verify(BundleDescriptor bundle) throws ExportException {
        List<Finding> findings = new ArrayList<>();
        try {
            for (BundleDescriptor.Image image : bundle.images()) {
                String repository = repositories.apply(image.repository());
                findings.add(check(repository, image.tag() != null ? image.tag() : image.digest(), image.digest()));
                for (BundleDescriptor.Child child : image.children()) {
                    if (child.selected()) {
                        findings.add(check(repository, child.digest(), child.digest()));
                    }
                }
                for (BundleDescriptor.Referrer referrer : image.referrers()) {
                    findings.add(check(repository, referrer.digest(), referrer.digest()));
                }
            }
        } catch (UpstreamException e) {
            throw new ExportException("the bundle could not be verified against " + registry.host() + ": "
                    + e.getMessage(), e);
        }
        return new Report(findings.stream().distinct().toList());
    }

    private Finding check(String repository, String reference, String expected) throws UpstreamException {
        String what = repository + (reference.indexOf(':') >= 0 ? "@" : ":") + reference;
        Optional<ManifestHead> head = registry.reader().headManifest(repository, reference);
        if (head.isEmpty()) {
            return new Finding(what, Status.MISSING, expected, null);
        }
        Digest found = head.get().digest();
        return new Finding(what, found.toString().equals(expected) ? Status.PRESENT : Status.DIFFERENT, expected,
                found.toString());
    }
}
