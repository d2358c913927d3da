package io.berth.admin.cli;

import net.sourceforge.argparse4j.inf.ArgumentParserException;

/**
 * A {@code berth export|inventory|verify} that cannot be done, with one line for the person at the
 * terminal (no stack trace) and the process's exit status: {@link #USAGE} when the command line
 * itself is wrong (a selector, a size or a URL that cannot be read, a file or folder it names that
 * is missing or unreadable), {@link #FAILURE} when the work failed (the registry unreachable or
 * refusing the credentials, a corrupt blob, a registry that does not hold what a bundle carried).
 */
public final class ExportCommandException extends RuntimeException {
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** The work failed. */
    public static final int FAILURE = 1;

    private final int status;

    private ExportCommandException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ExportCommandException usage(String message) {
        return new ExportCommandException(USAGE, message);
    }

    static ExportCommandException failure(String message) {
        return new ExportCommandException(FAILURE, message);
    }

    public int status() {
        return status;
    }

    /**
     * The exit status for a command that failed with {@code failure}: its own status, {@link #USAGE}
     * for arguments the parser refused, else {@link #FAILURE}.
     */
    public static int exitStatus(Throwable failure) {
        return switch (failure) {
            case ExportCommandException e -> e.status();
            case ArgumentParserException e -> USAGE;
            default -> FAILURE;
        };
    }
}
