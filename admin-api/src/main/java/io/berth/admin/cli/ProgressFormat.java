package io.berth.admin.cli;

import java.util.Locale;

/**
 * How progress displays write sizes, rates, durations and bars: sizes in powers of 1024
 * ({@code 12.3 MiB}), rates per second, durations as {@code 45s}, {@code 3m05s}, {@code 2h07m}.
 */
final class ProgressFormat {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private ProgressFormat() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.3 MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, UNITS[unit]);
    }

    /** Bytes per second over {@code nanos}; {@code -} before any time has passed. */
    static String rate(long bytes, long nanos) {
        if (nanos <= 0) {
            return "- B/s";
        }
        return bytes((long) (bytes / (nanos / 1e9))) + "/s";
    }

    /** How long the rest takes at the rate so far; {@code ?} while nothing is known. */
    static String eta(long done, long total, long nanos) {
        if (done >= total) {
            return "0s";
        }
        if (done <= 0 || nanos <= 0) {
            return "?";
        }
        double seconds = (total - done) * (nanos / 1e9) / done;
        return duration((long) Math.ceil(seconds * 1e9));
    }

    /** {@code 0.4s} under ten seconds, else {@code 45s}, {@code 3m05s}, {@code 2h07m}. */
    static String duration(long nanos) {
        double seconds = nanos / 1e9;
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** {@code [=====>      ]} of {@code width} cells inside the brackets. */
    static String bar(long done, long total, int width) {
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        StringBuilder bar = new StringBuilder(width + 2).append('[');
        for (int i = 0; i < width; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return bar.append(']').toString();
    }

    /**
     * What an image moved: {@code 10.0 MiB in 2.0s (5.0 MiB/s)}, or {@code no bytes of its own} when
     * its content was all moved with another image, or is at the other side already.
     */
    static String moved(long bytes, long nanos) {
        return bytes == 0 ? "no bytes of its own" : bytes(bytes) + " in " + duration(nanos) + " (" + rate(bytes, nanos) + ")";
    }

    /** {@code 12%}. */
    static String percent(long done, long total) {
        return (total <= 0 ? 100 : Math.min(100, done * 100 / total)) + "%";
    }
}
