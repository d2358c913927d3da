package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.ExportPlan.Entry;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes a planned bundle into a tar: {@code oci-layout}, {@code index.json} and
 * {@code berth-bundle.json} first, then the {@code blobs/<alg>/} folders, every manifest, and every
 * blob, each once, streamed from the source into the tar without holding it in memory. A blob's
 * tar header declares the size its descriptor gives; its bytes are counted and hashed on the way,
 * and one that is longer, shorter or not its digest fails the export, naming the image and the
 * blob. A stream cut half-way is taken up again from where it stopped (a {@code Range} request),
 * a few times. Entries a delta's inventory lists are left out.
 */
final class BundleWriter {
    private static final int CHUNK = 1 << 20;
    private static final int RESUMES = 3;

    private final Upstream reader;
    private final ExportPlan plan;
    private final ExportListener listener;
    private final long[] imageDone;
    private final long[] imageTotal;
    private final long total;
    private long done;

    BundleWriter(Upstream reader, ExportPlan plan, ExportListener listener) {
        this.reader = reader;
        this.plan = plan;
        this.listener = listener;
        this.imageDone = new long[plan.images().size()];
        this.imageTotal = new long[plan.images().size()];
        for (int i = 0; i < imageTotal.length; i++) {
            imageTotal[i] = plan.bytesOf(i);
        }
        this.total = plan.bytesToWrite();
    }

    void write(TarWriter tar, BundleDescriptor descriptor) throws IOException {
        tar.file("oci-layout", LayoutFiles.ociLayout());
        tar.file("index.json", LayoutFiles.index(plan.images()));
        tar.file(BundleDescriptor.ENTRY_NAME, descriptor.toJson());
        tar.directory("blobs/");
        TreeSet<String> algorithms = new TreeSet<>();
        plan.manifests().forEach(e -> algorithms.add(e.digest().algorithm().prefix()));
        plan.blobs().forEach(e -> algorithms.add(e.digest().algorithm().prefix()));
        for (String algorithm : algorithms) {
            tar.directory("blobs/" + algorithm + "/");
        }
        for (Entry manifest : plan.manifests()) {
            if (!manifest.omitted()) {
                tar.file(manifest.path(), manifest.bytes());
                advance(manifest.image(), manifest.size(), true);
            }
        }
        for (Entry blob : plan.blobs()) {
            if (!blob.omitted()) {
                blob(tar, blob);
            }
        }
        tar.finish();
    }

    private void blob(TarWriter tar, Entry blob) throws IOException {
        String image = plan.images().get(blob.image()).image().reference();
        String what = "image " + image + ": blob " + blob.digest();
        MessageDigest hash = blob.digest().algorithm().newHasher();
        tar.beginFile(blob.path(), blob.size());
        byte[] buffer = new byte[CHUNK];
        long at = 0;
        int resumes = 0;
        long reported = 0;
        while (true) {
            try (BlobStream stream = open(blob, at, what)) {
                if (stream.size() >= 0 && stream.size() != blob.size()) {
                    throw new ExportException(what + " is " + stream.size() + " bytes at the source, but its manifest"
                            + " says " + blob.size() + ": the source is inconsistent, so nothing was exported");
                }
                InputStream in = stream.body();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (at + n > blob.size()) {
                        throw new ExportException(what + ": the source sent more than the " + blob.size()
                                + " bytes its manifest says; nothing was exported");
                    }
                    hash.update(buffer, 0, n);
                    try {
                        tar.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new ExportException("the bundle cannot be written (" + e.getMessage() + ")", e);
                    }
                    at += n;
                    advance(blob.image(), n, false);
                    if (at - reported >= CHUNK) {
                        report(blob.image());
                        reported = at;
                    }
                }
                if (at < blob.size()) {
                    throw new IOException("the source's stream ended after " + at + " of " + blob.size() + " bytes");
                }
                break;
            } catch (ExportException e) {
                throw e;
            } catch (IOException e) {
                if (++resumes > RESUMES) {
                    throw new ExportException(what + " could not be read from the source after " + RESUMES
                            + " resumptions (" + e.getMessage() + "); nothing was exported: run the export again", e);
                }
            }
        }
        Digest got = Digest.of(blob.digest().algorithm(), hash.digest());
        if (!got.equals(blob.digest())) {
            throw new ExportException(what + " is corrupt at the source: its bytes hash to " + got
                    + "; nothing was exported. Repair or re-push the image at the source");
        }
        tar.closeEntry();
        report(blob.image());
    }

    private BlobStream open(Entry blob, long offset, String what) throws IOException {
        Optional<BlobStream> stream;
        try {
            stream = reader.getBlob(blob.repository(), blob.digest(), offset);
        } catch (UpstreamException e) {
            throw new ExportException(what + " could not be fetched from the source: " + e.getMessage(), e);
        }
        return stream.orElseThrow(() -> new ExportException(what + " is missing at the source (" + blob.repository()
                + " has no such blob though a manifest names it); nothing was exported"));
    }

    private void advance(int image, long bytes, boolean reportNow) {
        imageDone[image] += bytes;
        done += bytes;
        if (reportNow) {
            report(image);
        }
    }

    private void report(int image) {
        listener.progress(new ExportListener.Progress(plan.images().get(image).image().reference(), imageDone[image],
                imageTotal[image], done, total));
    }

    @Override
    public String toString() {
        return "BundleWriter" + Arrays.toString(imageDone);
    }
}
