package io.berth.admin.cli;

import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Where the command line finds Berth and whose credentials it uses: {@code --url} or
 * {@code BERTH_URL} (default the local admin API), {@code --user} or {@code BERTH_USER} (default
 * {@code admin}), and the password from {@code BERTH_PASSWORD}; for {@code admin} also from
 * {@code BERTH_ADMIN_PASSWORD} or the first start's {@code <data>/initial-admin-password}; else
 * asked on the terminal.
 */
final class SignIn {
    private SignIn() {
    }

    static void addArguments(Subparser parser) {
        parser.addArgument("--url").help("the admin API's base URL (default $BERTH_URL, else http://127.0.0.1:8080)");
        parser.addArgument("--user").help("sign in as this user or robot (default $BERTH_USER, else admin)");
    }

    static AdminClient client(Namespace ns, Map<String, String> env) {
        String url = first(ns.getString("url"), env.get("BERTH_URL"),
                "http://127.0.0.1:" + first(env.get("BERTH_ADMIN_PORT"), "8080"));
        String user = first(ns.getString("user"), env.get("BERTH_USER"), "admin");
        String password = password(user, env);
        return new AdminClient(url, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String password(String user, Map<String, String> env) {
        String given = first(env.get("BERTH_PASSWORD"), "admin".equals(user) ? env.get("BERTH_ADMIN_PASSWORD") : null);
        if (given != null) {
            return given;
        }
        if ("admin".equals(user)) {
            Path file = Path.of(first(env.get("BERTH_DATA_DIR"), "data"), "initial-admin-password");
            try {
                if (Files.isReadable(file)) {
                    return Files.readString(file).strip();
                }
            } catch (IOException e) {
                // fall through to asking
            }
        }
        return secret("Password for " + user + ": ", "set BERTH_PASSWORD to the password of " + user);
    }

    /** A secret typed at the terminal (not echoed), or one line of standard input when there is no terminal. */
    static String secret(String prompt, String withoutTerminal) {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword(prompt);
            if (typed == null) {
                throw new CliException("no password given");
            }
            return new String(typed);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("no password on standard input: " + withoutTerminal);
            }
            return line;
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage());
        }
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return null;
    }
}
