package io.berth.admin.e2e;

import io.berth.store.testing.TestImages;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The images a replication IT copies, written once into an OCI layout (deterministic, with
 * {@link TestImages}) and pushed into a source registry under a namespace: {@code <ns>/multi:v1}, an
 * index of linux/amd64 and linux/arm64; {@code <ns>/signed:v1}, an image with a signature and an
 * SBOM referring to it (OCI {@code subject}); {@code <ns>/large:v1}, one layer of random bytes,
 * written and pushed as a stream. Images go up with skopeo; the referrers, byte-exact, through the
 * V2 API, with the fallback tag ({@code sha256-<hex>}: an index of the referrers) where the registry
 * has no referrers API, as clients do for Distribution 2.8.
 */
final class ReplicationImages {
    static final String SIGNATURE_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    static final String SBOM_TYPE = "application/spdx+json";

    private final Path layout;
    final TestImages.Index multi;
    final TestImages.Image signed;
    final List<Referrer> referrers;
    final TestImages.Image large;

    /** One artifact that refers to {@link #signed}, and its type. */
    record Referrer(TestImages.Artifact artifact, String artifactType) {}

    private ReplicationImages(Path layout, TestImages.Index multi, TestImages.Image signed, List<Referrer> referrers,
                              TestImages.Image large) {
        this.layout = layout;
        this.multi = multi;
        this.signed = signed;
        this.referrers = referrers;
        this.large = large;
    }

    /** Writes the images into {@code layout}; the large one's layer holds {@code largeBytes} random bytes. */
    static ReplicationImages write(Path layout, long largeBytes) throws IOException {
        TestImages.Index multi = TestImages.multiArch(layout, "multi", 801, List.of("amd64", "arm64"), 128 * 1024);
        TestImages.Image signed = TestImages.singleArch(layout, "signed", 802, 2, 96 * 1024, "amd64");
        List<Referrer> referrers = new ArrayList<>();
        for (String type : List.of(SIGNATURE_TYPE, SBOM_TYPE)) {
            referrers.add(new Referrer(TestImages.artifactWithSubject(layout, signed.manifestDigest(),
                    signed.manifestSize(), TestImages.OCI_MANIFEST, type, 803 + referrers.size()), type));
        }
        TestImages.Image large = TestImages.singleArch(layout, "large", 805, 1, largeBytes, "amd64");
        return new ReplicationImages(layout, multi, signed, referrers, large);
    }

    /** Pushes the three images (and the referrers) into {@code site} as {@code <namespace>/<name>:v1}. */
    void push(Skopeo skopeo, RegistrySite site, String namespace) throws IOException {
        for (String name : List.of("multi", "signed", "large")) {
            List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
            if (name.equals("multi")) {
                args.add("--all");
            }
            if (site.credentials() != null) {
                args.addAll(List.of("--dest-creds", site.credentials()));
            }
            args.addAll(List.of("oci:" + layout + ":" + name, site.docker(namespace + "/" + name + ":v1")));
            skopeo.ok(args.toArray(String[]::new));
        }
        String repo = namespace + "/signed";
        StringBuilder fallback = new StringBuilder();
        for (Referrer referrer : referrers) {
            TestImages.Artifact a = referrer.artifact();
            site.v2().pushBlob(repo, "{}".getBytes(StandardCharsets.US_ASCII));
            site.v2().pushBlob(repo, Files.readAllBytes(TestImages.blobPath(layout, a.layerDigest())));
            HttpResponse<byte[]> put = site.v2().putManifest(repo, a.manifestDigest(), TestImages.OCI_MANIFEST,
                    a.manifestBytes());
            assertEquals(201, put.statusCode(), () -> "PUT referrer into " + site.name() + ": " + new String(put.body()));
            fallback.append(fallback.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(TestImages.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(a.manifestDigest()).append("\",\"size\":").append(a.manifestSize())
                    .append(",\"artifactType\":\"").append(referrer.artifactType()).append("\"}");
        }
        if (!site.referrersApi()) {
            byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + TestImages.OCI_INDEX + "\",\"manifests\":["
                    + fallback + "]}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> put = site.v2().putManifest(repo, fallbackTag(signed.manifestDigest()),
                    TestImages.OCI_INDEX, index);
            assertEquals(201, put.statusCode(), () -> "PUT fallback tag into " + site.name() + ": " + new String(put.body()));
        }
    }

    /**
     * A small single-platform image of one layer, written into the layout and pushed byte-exact to
     * {@code site} as {@code repository:tag} through the V2 API (quicker than a skopeo run).
     */
    TestImages.Image pushSmall(RegistrySite site, String repository, String tag, long seed) throws IOException {
        TestImages.Image image = TestImages.singleArch(layout, "small-" + seed, seed, 1, 8 * 1024, "amd64");
        site.v2().pushBlob(repository, Files.readAllBytes(TestImages.blobPath(layout, image.configDigest())));
        site.v2().pushBlob(repository, Files.readAllBytes(TestImages.blobPath(layout, image.layerDigests().getFirst())));
        HttpResponse<byte[]> put = site.v2().putManifest(repository, tag, TestImages.OCI_MANIFEST, image.manifestBytes());
        assertEquals(201, put.statusCode(), () -> "PUT " + repository + ":" + tag + " into " + site.name() + ": "
                + new String(put.body()));
        return image;
    }

    /** Pushes the layout's {@code tag} (every platform) to {@code site} as {@code repositoryAndTag}, with skopeo. */
    void pushTag(Skopeo skopeo, RegistrySite site, String tag, String repositoryAndTag) {
        List<String> args = new ArrayList<>(List.of("copy", "--all", "--dest-tls-verify=false"));
        if (site.credentials() != null) {
            args.addAll(List.of("--dest-creds", site.credentials()));
        }
        args.addAll(List.of("oci:" + layout + ":" + tag, site.docker(repositoryAndTag)));
        skopeo.ok(args.toArray(String[]::new));
    }

    /** The OCI fallback tag of a subject's referrers: {@code sha256-<hex>}. */
    static String fallbackTag(String digest) {
        return digest.replace(':', '-');
    }
}
