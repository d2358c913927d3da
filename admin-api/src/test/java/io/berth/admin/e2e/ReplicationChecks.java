package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a replication IT checks what arrived, with skopeo as a user would: {@code skopeo inspect
 * --raw} gives the same bytes (so the same digest) on both sides, and {@code skopeo copy} out of
 * the destination works (skopeo checks every blob's digest on the way). Referrers are read back
 * through the referrers API where the destination has one, else through the fallback tag.
 */
final class ReplicationChecks {
    private final Skopeo skopeo;
    private final Path scratch;

    ReplicationChecks(Skopeo skopeo, Path scratch) {
        this.skopeo = skopeo;
        this.scratch = scratch;
    }

    /** The manifest bytes {@code skopeo inspect --raw} reads at {@code site}. */
    byte[] raw(RegistrySite site, String reference) {
        List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
        if (site.credentials() != null) {
            args.addAll(List.of("--creds", site.credentials()));
        }
        args.add(site.docker(reference));
        return skopeo.ok(args.toArray(String[]::new)).stdout().getBytes(StandardCharsets.UTF_8);
    }

    /** The source's and the destination's manifests are the same bytes, whose digest is {@code digest}. */
    void assertSameManifest(RegistrySite source, String sourceRef, RegistrySite dest, String destRef, String digest) {
        byte[] there = raw(dest, destRef);
        assertEquals(new String(raw(source, sourceRef), StandardCharsets.UTF_8), new String(there, StandardCharsets.UTF_8),
                () -> sourceRef + " at " + source.name() + " against " + destRef + " at " + dest.name());
        assertEquals(digest, E2e.sha256(there), () -> destRef + " at " + dest.name());
    }

    /** {@code skopeo copy} (every platform with {@code all}) of {@code reference} out of {@code site} succeeds. */
    void assertCopiesOut(RegistrySite site, String reference, boolean all) throws IOException {
        Path out = Files.createTempDirectory(scratch, "copied-");
        try {
            List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false"));
            if (all) {
                args.add("--all");
            }
            if (site.credentials() != null) {
                args.addAll(List.of("--src-creds", site.credentials()));
            }
            args.addAll(List.of(site.docker(reference), "dir:" + out));
            skopeo.ok(args.toArray(String[]::new));
        } finally {
            E2e.deleteTree(out);
        }
    }

    /** The referrers of {@code subject} in {@code repository} at {@code site}, by digest. */
    static Set<String> referrers(RegistrySite site, String repository, String subject) {
        JsonNode index;
        if (site.referrersApi()) {
            index = site.v2().json("/v2/" + repository + "/referrers/" + subject);
        } else {
            V2Client.Manifest fallback = site.v2().manifest(repository, ReplicationImages.fallbackTag(subject));
            assertEquals(200, fallback.status(), () -> "the fallback tag of " + subject + " in " + repository + " at "
                    + site.name());
            index = V2Client.parse(fallback.bytes());
        }
        Set<String> digests = new HashSet<>();
        index.path("manifests").forEach(m -> digests.add(m.path("digest").asText()));
        return digests;
    }

    /** The manifest at {@code reference} is byte for byte the same on both sides (read with the V2 API). */
    static void assertSameBytes(RegistrySite source, String repository, RegistrySite dest, String destRepository,
                                String digest) {
        V2Client.Manifest there = dest.v2().manifest(destRepository, digest);
        assertEquals(200, there.status(), () -> destRepository + "@" + digest + " at " + dest.name());
        assertEquals(new String(source.v2().manifest(repository, digest).bytes(), StandardCharsets.UTF_8),
                new String(there.bytes(), StandardCharsets.UTF_8), () -> digest + " at " + dest.name());
        assertEquals(digest, E2e.sha256(there.bytes()));
    }

    /** Every referrer of the signed image arrived byte-exact, with its blob. */
    static void assertReferrersArrived(ReplicationImages images, RegistrySite source, String sourceRepo,
                                       RegistrySite dest, String destRepo) {
        for (ReplicationImages.Referrer referrer : images.referrers) {
            assertSameBytes(source, sourceRepo, dest, destRepo, referrer.artifact().manifestDigest());
            dest.v2().assertBlob(destRepo, referrer.artifact().layerDigest());
        }
    }

    /**
     * The destination lists every referrer of the signed image as a referrer of it: through its
     * referrers API, or (Distribution 2.8) under the fallback tag, where clients look for them there.
     */
    static void assertListedAsReferrers(ReplicationImages images, RegistrySite dest, String destRepo) {
        Set<String> expected = new HashSet<>();
        images.referrers.forEach(r -> expected.add(r.artifact().manifestDigest()));
        Set<String> listed = referrers(dest, destRepo, images.signed.manifestDigest());
        assertTrue(listed.containsAll(expected), () -> dest.name() + " lists " + listed + " as referrers of "
                + images.signed.manifestDigest() + ", not all of " + expected);
    }
}
