package io.berth.admin.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where the archives of server-side imports wait while they are imported: {@code <data>/imports/},
 * one file per job, streamed there from the request body (the archive formats need to seek:
 * {@code docker save} puts its {@code manifest.json} last), never held in memory. Emptied when
 * Berth starts (a job does not outlive the process).
 */
public final class ImportSpool {
    /** Room left on the disk after an archive, so that the blobs it brings still fit. */
    private static final long HEADROOM = 64L << 20;

    private final Path dir;

    /** One archive waiting: its file, the name it goes by in the job, and its size. */
    public record Spooled(Path file, String name, long bytes) {
    }

    /** The archive cannot be taken: {@code status} 413 (too big for the disk) or 503 (the disk failed). */
    public static final class SpoolException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        SpoolException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public ImportSpool(Path dataRoot) throws IOException {
        this.dir = dataRoot.resolve("imports");
        Files.createDirectories(dir);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            for (Path p : left) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Streams {@code body} into a file of its own. {@code declared} is the body's length when the
     * client said it (else -1): refused at once when it would not leave room for the blobs it carries.
     */
    public Spooled take(InputStream body, long declared) throws IOException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (declared >= 0 && declared * 2 + HEADROOM > usable) {
            throw new SpoolException(413, "the archive (" + declared + " bytes) and the blobs it brings would not fit"
                    + " in the " + usable + " bytes free on Berth's disk: free some space, or import with the berth"
                    + " CLI from a machine that holds the archive (it streams it without a copy on the server)", null);
        }
        Path file = dir.resolve(UUID.randomUUID() + ".tar");
        long bytes;
        try (OutputStream out = Files.newOutputStream(file)) {
            bytes = body.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            boolean full = Files.getFileStore(dir).getUsableSpace() < HEADROOM;
            throw full ? new SpoolException(413, "Berth's disk filled up while the archive arrived: free some space"
                    + " and send it again", e)
                    : new SpoolException(400, "the archive did not arrive whole (" + e.getMessage() + "): send it again",
                    e);
        }
        return new Spooled(file, "request body (" + bytes + " bytes)", bytes);
    }

    /** Removes a spooled archive (quietly: its job is over either way). */
    public void delete(Spooled spooled) {
        try {
            Files.deleteIfExists(spooled.file());
        } catch (IOException e) {
            // left for the clean-up at the next start
        }
    }
}
