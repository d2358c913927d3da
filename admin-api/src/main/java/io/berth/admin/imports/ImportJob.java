package io.berth.admin.imports;

import io.berth.store.transfer.imports.ImportListener;
import io.berth.store.transfer.imports.ImportRequest;
import io.berth.store.transfer.imports.ImportResult;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.transfer.imports.Target;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server-side import ({@code POST /api/v1/imports}) as it goes: its state, its bytes, and each
 * image's outcome as the importer reports it (an {@link ImportListener}, called from the importing
 * threads). Read as a consistent {@link View} at any time.
 */
public final class ImportJob implements ImportListener {
    /** Where a job stands. */
    public enum State { Running, Succeeded, Failed }

    /** One image of the job: where it goes, how far it got, and why it failed. */
    public record ImageView(String image, List<String> targets, String status, long bytes, long bytesDone,
                            int blobsPushed, int blobsPresent, int manifestsPushed, int tagsPushed, String message) {
    }

    /** The job as the API shows it. */
    public record View(long id, String state, String createdBy, String project, boolean dryRun, String source,
                       long sourceBytes, Instant created, Instant ended, long bytesTotal, long bytesDone, long bytesSent,
                       List<ImageView> images, String message) {
    }

    private final long id;
    private final String createdBy;
    private final ImportRequest request;
    private final String source;
    private final long sourceBytes;
    private final Instant created;
    private final Clock clock;
    private final Map<String, ImageView> images = new LinkedHashMap<>();
    private State state = State.Running;
    private Instant ended;
    private long bytesTotal;
    private long bytesDone;
    private long bytesSent;
    private String message;

    ImportJob(long id, String createdBy, ImportRequest request, String source, long sourceBytes, Clock clock) {
        this.id = id;
        this.createdBy = createdBy;
        this.request = request;
        this.source = source;
        this.sourceBytes = sourceBytes;
        this.clock = clock;
        this.created = clock.instant();
    }

    public long id() {
        return id;
    }

    /** Who started it (a user's or robot's name; empty with authentication off). */
    public String createdBy() {
        return createdBy;
    }

    public synchronized boolean running() {
        return state == State.Running;
    }

    @Override
    public synchronized void planned(String archive, int count, long totalBytes) {
        bytesTotal = totalBytes;
    }

    @Override
    public synchronized void imageStarted(String image, List<Target> targets, long bytes) {
        images.put(image, new ImageView(image, names(targets), "Importing", bytes, 0, 0, 0, 0, 0, null));
    }

    @Override
    public synchronized void progress(Progress p) {
        bytesDone = p.done();
        bytesSent = p.sent();
        ImageView image = p.image() == null ? null : images.get(p.image());
        if (image != null) {
            images.put(p.image(), new ImageView(image.image(), image.targets(), image.status(), image.bytes(),
                    p.imageDone(), 0, 0, 0, 0, null));
        }
    }

    @Override
    public synchronized void imageFinished(ImageResult r) {
        ImageView before = images.get(r.image());
        long bytes = before == null ? 0 : before.bytes();
        images.put(r.image(), new ImageView(r.image(), names(r.targets()), status(r.status()), bytes,
                r.status() == Status.FAILED || r.status() == Status.NOT_TRIED ? (before == null ? 0 : before.bytesDone())
                        : bytes, r.blobsPushed(), r.blobsPresent(), r.manifestsPushed(), r.tagsPushed(), r.message()));
    }

    /** The importer is done: the job succeeded unless an image failed or was not tried. */
    synchronized void finished(ImportResult result) {
        for (ImageResult r : result.images()) {
            images.putIfAbsent(r.image(), new ImageView(r.image(), names(r.targets()), status(r.status()), 0, 0,
                    r.blobsPushed(), r.blobsPresent(), r.manifestsPushed(), r.tagsPushed(), r.message()));
        }
        end(result.failed() ? State.Failed : State.Succeeded, result.failed()
                ? "some images were not imported; nothing was tagged for them: see each image's message, fix the"
                + " bundle, and import it again (what is already there is skipped)" : null);
    }

    /** The job could not run to its end, for {@code why} (a sentence saying what to do). */
    synchronized void failed(String why) {
        end(State.Failed, why);
    }

    private void end(State end, String why) {
        state = end;
        message = why;
        ended = clock.instant();
    }

    public synchronized View view() {
        return new View(id, state.name(), createdBy, request.project(), request.dryRun(), source, sourceBytes, created,
                ended, bytesTotal, bytesDone, bytesSent, List.copyOf(new ArrayList<>(images.values())), message);
    }

    private static List<String> names(List<Target> targets) {
        return targets.stream().map(Target::toString).toList();
    }

    private static String status(Status status) {
        return switch (status) {
            case IMPORTED -> "Imported";
            case PRESENT -> "Present";
            case FAILED -> "Failed";
            case NOT_TRIED -> "NotTried";
        };
    }
}
