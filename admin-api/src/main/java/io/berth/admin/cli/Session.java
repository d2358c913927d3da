package io.berth.admin.cli;

import java.io.PrintStream;

/**
 * One run of a command: the admin API signed in as {@code user}, where secrets are read and where
 * the output goes.
 *
 * @param password the password {@code user} signed in with, for changes that need the current one
 */
record Session(AdminClient api, String user, String password, Secrets secrets, PrintStream out) {
    @Override
    public String toString() {
        return "Session[user=" + user + "]";
    }
}
