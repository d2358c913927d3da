package io.berth.admin.cli;

import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.ExportListener;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An export's progress on a {@link ProgressDisplay}. The exporter writes every manifest before any
 * blob, so an image is under way from its manifest until its last blob; it is done when all its
 * bytes are written. Images with no bytes of their own in the bundle (a delta that left them out,
 * an image whose blobs an earlier one carried) are done when the export is ({@link #finished}).
 */
final class ExportProgress implements ExportListener {
    private final ProgressDisplay display;
    private final List<String> images = new ArrayList<>();
    private final Set<String> started = new HashSet<>();
    private final Set<String> done = new HashSet<>();

    ExportProgress(ProgressDisplay display) {
        this.display = display;
    }

    @Override
    public void planned(BundleDescriptor descriptor, long totalBytes) {
        descriptor.images().forEach(i -> images.add(i.reference()));
        display.start(totalBytes, images.size());
    }

    @Override
    public void progress(Progress p) {
        if (started.add(p.image())) {
            display.imageStarted(p.image(), p.imageTotal());
        }
        display.imageAdvanced(p.image(), p.imageDone());
        if (p.imageDone() >= p.imageTotal() && done.add(p.image())) {
            display.imageDone(p.image());
        }
    }

    /** The export completed: every image not yet told done is, and the display is finished. */
    void finished() {
        for (String image : images) {
            if (done.add(image)) {
                if (started.add(image)) {
                    display.imageStarted(image, 0);
                }
                display.imageDone(image);
            }
        }
        display.finish();
    }
}
