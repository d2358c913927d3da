package io.berth.store.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a growing file's data to disk while more is still being appended, so the fsync that
 * makes a finished blob durable has little left to do. Java has no {@code sync_file_range}, so
 * a background virtual thread calls {@code force(false)} (an fdatasync of what is written so far);
 * at most one runs per file at a time, and a file closed meanwhile is simply skipped. Durability
 * never depends on this: the blob is fsynced in full before it is committed.
 */
final class Writeback {
    private static final Set<FileChannel> RUNNING = ConcurrentHashMap.newKeySet();

    private Writeback() {
    }

    static void start(FileChannel file) {
        if (!RUNNING.add(file)) {
            return;
        }
        Thread.ofVirtual().name("berth-writeback").start(() -> {
            try {
                file.force(false);
            } catch (IOException | RuntimeException e) {
                // closed or failing: the full fsync at commit time reports real problems
            } finally {
                RUNNING.remove(file);
            }
        });
    }
}
