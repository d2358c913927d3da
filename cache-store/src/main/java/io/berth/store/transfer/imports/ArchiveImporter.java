package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveImage;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamWriter;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code berth import}: pushes every image of an archive into a registry through its V2 API, one
 * image at a time in the archive's order ({@link ImagePusher} says how). Every image is planned
 * first (its manifests read and checked, its targets named), so that a damaged manifest or a missing
 * name fails that image before anything is sent. An image that fails stops the import (later
 * images are not tried) unless {@link ImportRequest#keepGoing}; either way nothing is tagged for it.
 * One importer may import several archives into the same registry: a blob pushed to one repository
 * is mounted into the next. Blocks on the network and the archive.
 */
public final class ArchiveImporter {
    private final Upstream reader;
    private final UpstreamWriter writer;
    private final String registry;
    private final PushOptions push;
    private final Map<Digest, String> pushedTo = new ConcurrentHashMap<>();

    /**
     * @param reader   the target registry's reads ({@code HEAD}s)
     * @param writer   its writes
     * @param registry how messages name it ({@code host:port})
     * @param push     how blobs are uploaded (chunk sizes, resumes)
     */
    public ArchiveImporter(Upstream reader, UpstreamWriter writer, String registry, PushOptions push) {
        this.reader = reader;
        this.writer = writer;
        this.registry = registry;
        this.push = push;
    }

    /** Imports the images of {@code archive}; failures are in the result, per image, never thrown. */
    public ImportResult importArchive(ArchiveContent archive, ImportRequest request, ImportListener listener) {
        TargetNames names = new TargetNames(request);
        List<ImagePlan> plans = new ArrayList<>();
        List<ImportException> planFailures = new ArrayList<>();
        ImagePlanner planner;
        BundleDescriptor descriptor = null;
        ImportException descriptorFailure = null;
        try {
            descriptor = descriptor(archive);
        } catch (IOException e) {
            descriptorFailure = new ImportException("the berth-bundle.json of " + archive.source() + " cannot be"
                    + " read (" + e.getMessage() + "): the bundle is damaged; export it again", e);
        }
        planner = new ImagePlanner(archive, descriptor);
        long total = 0;
        for (ArchiveImage image : archive.images()) {
            String label = image.names().isEmpty() ? image.digest().toString() : image.names().getFirst();
            try {
                if (descriptorFailure != null) {
                    throw descriptorFailure;
                }
                ImagePlan plan = planner.plan(image, label, names.of(image));
                plans.add(plan);
                planFailures.add(null);
                total += plan.bytes();
            } catch (ImportException e) {
                plans.add(new ImagePlan(image, label, List.of(), List.of(), List.of(), List.of(), Map.of()));
                planFailures.add(e);
            }
        }
        listener.planned(archive.source(), plans.size(), total);
        ProgressCounter progress = new ProgressCounter(listener, total);
        List<ImageResult> results = new ArrayList<>();
        boolean stopped = false;
        for (int i = 0; i < plans.size(); i++) {
            ImagePlan plan = plans.get(i);
            ImageResult result;
            if (stopped) {
                result = new ImageResult(plan.label(), plan.targets(), Status.NOT_TRIED, 0, 0, 0, 0, 0,
                        "not tried: an earlier image failed (--keep-going imports the others)");
            } else if (planFailures.get(i) != null) {
                result = new ImageResult(plan.label(), plan.targets(), Status.FAILED, 0, 0, 0, 0, 0,
                        planFailures.get(i).getMessage());
            } else {
                listener.imageStarted(plan.label(), plan.targets(), plan.bytes());
                progress.imageStarted(plan.label(), plan.bytes());
                ImagePusher pusher = new ImagePusher(archive, reader, writer, registry, push, request.dryRun(),
                        listener, pushedTo, progress);
                try {
                    result = pusher.push(plan);
                } catch (ImportException e) {
                    result = pusher.failed(e.getMessage());
                } catch (RuntimeException e) {
                    result = pusher.failed("image " + plan.label() + " failed unexpectedly (" + e
                            + "); nothing was tagged for it. Run the import again to continue");
                }
                progress.imageEnded();
            }
            if (result.status() == Status.FAILED && !request.keepGoing()) {
                stopped = true;
            }
            results.add(result);
            listener.imageFinished(result);
        }
        return new ImportResult(archive.source(), request.dryRun(), results);
    }

    private static BundleDescriptor descriptor(ArchiveContent archive) throws IOException {
        Optional<InputStream> file = archive.file(BundleDescriptor.ENTRY_NAME);
        if (file.isEmpty()) {
            return null;
        }
        try (InputStream in = file.get()) {
            return BundleDescriptor.read(in, BundleDescriptor.ENTRY_NAME + " in " + archive.source());
        }
    }
}
