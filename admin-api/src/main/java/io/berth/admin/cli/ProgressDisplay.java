package io.berth.admin.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Progress of a transfer of images (an export, an import), shown as it goes: bars with bytes, rate
 * and ETA per image and overall on a terminal ({@link ProgressBars}), plain lines otherwise
 * ({@link ProgressLines}: one line per image done, an overall line at most every few seconds).
 * Images are named by the caller (a full reference); several may be under way at once. The
 * methods may be called from several threads. The caller prints its own summary after
 * {@link #finish}.
 */
public interface ProgressDisplay {
    /** The transfer begins: {@code totalBytes} to move for {@code images} images. */
    void start(long totalBytes, int images);

    /** An image begins, with {@code totalBytes} of its own to move (0 when there is nothing to move for it). */
    void imageStarted(String image, long totalBytes);

    /** {@code doneBytes} of the image are moved so far (a running total, not an increment). */
    void imageAdvanced(String image, long doneBytes);

    /** The image is complete. */
    void imageDone(String image);

    /** The image failed, for {@code reason} (one sentence). */
    void imageFailed(String image, String reason);

    /** A line to keep on screen above the bars (plain: printed as it is). */
    void note(String line);

    /** The transfer is over: the bars are cleared; nothing more is drawn. */
    void finish();

    /**
     * Bars when {@code terminal}, plain lines otherwise, printed on {@code out}.
     *
     * @param columns the terminal's width (used for bars only)
     */
    static ProgressDisplay on(PrintStream out, boolean terminal, int columns) {
        return terminal ? new ProgressBars(out, System::nanoTime, columns) : new ProgressLines(out, System::nanoTime);
    }

    /**
     * Whether output goes to a terminal that draws bars: there is a console (standard input and
     * output both a terminal), and {@code TERM} is not {@code dumb}.
     */
    static boolean isTerminal(Console console, Map<String, String> env) {
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            // JDK 22 to 24 return a console even when redirected; isTerminal (22+) tells.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    /** The terminal's width from {@code COLUMNS}, else 80. */
    static int columns(Map<String, String> env) {
        return columns(env.get("COLUMNS"));
    }

    /**
     * The width of the terminal this process runs in: {@code COLUMNS} when the shell exported it,
     * else what {@code stty size} says of {@code /dev/tty}, else 80.
     */
    static int terminalColumns(Map<String, String> env) {
        if (env.containsKey("COLUMNS")) {
            return columns(env);
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String[] rowsColumns = size.strip().split("\\s+");
            return stty.waitFor() == 0 && rowsColumns.length == 2 ? columns(rowsColumns[1]) : 80;
        } catch (IOException e) {
            return 80;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }

    private static int columns(String text) {
        try {
            int columns = text == null ? 80 : Integer.parseInt(text.strip());
            return columns >= 40 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
