package io.berth.admin.cli;

/** A command that cannot be done, with a message for the person at the terminal (no stack trace). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message, null, false, false);
    }
}
