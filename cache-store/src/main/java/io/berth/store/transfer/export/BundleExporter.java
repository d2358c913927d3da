package io.berth.store.transfer.export;

import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.ExportPlan.Entry;
import io.berth.store.upstream.UpstreamException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code berth export}: images of a registry into a bundle, a plain tar holding an OCI image layout
 * ({@link BundleWriter} says in what order), with {@code berth-bundle.json} inside and a sidecar
 * {@code <bundle>.berth-bundle.json} next to it that adds the tar's sha256 and its parts'. The
 * selection is resolved and every manifest fetched first, then the tar is written as one stream
 * into {@code .partial} files that are renamed into place at the very end: a failed export (an
 * unreachable source, a blob that is not its digest) leaves no bundle, and names what failed.
 * Blocks on the network and the disk.
 */
public final class BundleExporter {
    /** The buffer between the tar stream and the files. */
    private static final int BUFFER = 1 << 20;

    private final SourceRegistry source;

    public BundleExporter(SourceRegistry source) {
        this.source = source;
    }

    /**
     * What an export made.
     *
     * @param descriptor the descriptor, with the tar's digest and parts
     * @param files      the bundle file, or its parts in order
     * @param sidecar    the sidecar descriptor file
     */
    public record Result(BundleDescriptor descriptor, List<Path> files, Path sidecar) {
        public Result {
            files = List.copyOf(files);
        }
    }

    /** The sidecar descriptor's path for a bundle at {@code output}. */
    public static Path sidecar(Path output) {
        return output.toAbsolutePath().resolveSibling(output.getFileName() + "." + BundleDescriptor.ENTRY_NAME);
    }

    public Result export(ExportRequest request, ExportListener listener) throws IOException {
        ExportPlan plan;
        try {
            List<SelectionResolver.SelectedImage> selected = new SelectionResolver(source).resolve(request.images());
            plan = new ExportPlanner(source, request.platforms(), request.referrers(), request.inventory()).plan(selected);
        } catch (UpstreamException e) {
            throw new ExportException("the export could not read the source " + source.host() + ": " + e.getMessage()
                    + "; nothing was written", e);
        }
        BundleDescriptor descriptor = descriptor(request, plan);
        listener.planned(descriptor, plan.bytesToWrite());
        Path output = request.output().toAbsolutePath();
        Path sidecar = sidecar(output);
        Path sidecarTemp = sidecar.resolveSibling(sidecar.getFileName() + ".partial");
        BundleOutput files = new BundleOutput(output, request.partSize());
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(files, BUFFER);
            new BundleWriter(source.reader(), plan, listener).write(
                    new TarWriter(buffered, request.created().getEpochSecond()), descriptor);
            buffered.flush();
            BundleDescriptor done = descriptor.withBundle(files.finish());
            Files.write(sidecarTemp, done.toJson());
            List<Path> published = files.publish();
            Files.move(sidecarTemp, sidecar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Result(done, published, sidecar);
        } catch (IOException | RuntimeException e) {
            files.abort();
            Files.deleteIfExists(sidecarTemp);
            throw e;
        }
    }

    private BundleDescriptor descriptor(ExportRequest request, ExportPlan plan) {
        BundleDescriptor.Delta delta = request.inventory() == null ? null : new BundleDescriptor.Delta(
                request.inventory().digest(), request.inventory().created(), request.inventory().registry());
        List<Entry> manifests = plan.manifests();
        List<Entry> blobs = plan.blobs();
        BundleDescriptor.Content content = new BundleDescriptor.Content(
                (int) manifests.stream().filter(e -> !e.omitted()).count(),
                (int) blobs.stream().filter(e -> !e.omitted()).count(), plan.bytesToWrite(),
                (int) manifests.stream().filter(Entry::omitted).count(),
                (int) blobs.stream().filter(Entry::omitted).count(),
                manifests.stream().filter(Entry::omitted).mapToLong(Entry::size).sum()
                        + blobs.stream().filter(Entry::omitted).mapToLong(Entry::size).sum());
        return new BundleDescriptor(BundleDescriptor.FORMAT, request.created().truncatedTo(ChronoUnit.SECONDS).toString(),
                source.host(), request.platforms().names(), request.referrers(), delta,
                plan.images().stream().map(ExportPlan.PlannedImage::image).toList(), content, null);
    }
}
