package io.berth.sync.copy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The log of one task: timestamped lines a user reads to learn what was copied, skipped and why it
 * failed. Bounded: past {@link #MAX_CHARS} characters the oldest lines go first (the first line,
 * which names the task, stays). Safe to write from several threads.
 */
public final class CopyLog {
    /** The most characters kept, as the {@code replication_task.log} column holds. */
    public static final int MAX_CHARS = 16_000;

    private final Clock clock;
    private final Deque<String> lines = new ArrayDeque<>();
    private String first;
    private int chars;
    private boolean dropped;

    public CopyLog(Clock clock) {
        this.clock = clock;
    }

    /** Adds a line. */
    public synchronized void add(String message) {
        String line = Instant.now(clock) + " " + (message.length() > 2000 ? message.substring(0, 2000) + "…" : message)
                + "\n";
        if (first == null) {
            first = line;
            return;
        }
        lines.addLast(line);
        chars += line.length();
        while (chars + first.length() > MAX_CHARS - 64 && lines.size() > 1) {
            chars -= lines.removeFirst().length();
            dropped = true;
        }
    }

    /** The lines so far, as one text. */
    public synchronized String text() {
        StringBuilder out = new StringBuilder(first == null ? "" : first);
        if (dropped) {
            out.append("… (earlier lines dropped)\n");
        }
        lines.forEach(out::append);
        return out.toString();
    }
}
