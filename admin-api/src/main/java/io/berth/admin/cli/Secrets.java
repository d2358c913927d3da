package io.berth.admin.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Where one run of a command reads passwords: typed at the terminal without echo when there is
 * one, else one line of standard input each. One reader serves the whole run, so that
 * {@code printf '%s\n%s\n' "$OLD" "$NEW" | berth user passwd alice --user alice} gives both (a
 * reader per secret would buffer the second line away with the first).
 */
final class Secrets {
    private final Console console;
    private final InputStream in;
    private BufferedReader lines;

    /** @param console the terminal, or null to read standard input only */
    Secrets(Console console, InputStream in) {
        this.console = console;
        this.in = in;
    }

    /**
     * A secret: asked for with {@code prompt} on the terminal, else the next line of standard input.
     *
     * @param withoutTerminal what to do instead, for the message when standard input has no line left
     */
    String read(String prompt, String withoutTerminal) {
        if (console != null) {
            char[] typed = console.readPassword(prompt);
            if (typed == null || typed.length == 0) {
                throw new CliException("no password given");
            }
            return new String(typed);
        }
        return line("password", withoutTerminal);
    }

    /**
     * The next line of standard input, even with a terminal ({@code --password-stdin}).
     *
     * @param what        what the line is ("password", "token"), for the message when there is none
     * @param withoutLine what to do, for the message when standard input has no line left
     */
    String line(String what, String withoutLine) {
        try {
            if (lines == null) {
                lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = lines.readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("no " + what + " on standard input: " + withoutLine);
            }
            return line;
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage());
        }
    }
}
