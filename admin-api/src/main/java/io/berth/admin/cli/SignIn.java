package io.berth.admin.cli;

import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the command line finds Berth and whose credentials it uses: {@code --url} (or
 * {@code --api-url}) or {@code BERTH_URL} (default the local admin API), {@code --user} or {@code BERTH_USER} (default
 * {@code admin}), and the password from {@code BERTH_PASSWORD}; for {@code admin} also from
 * {@code BERTH_ADMIN_PASSWORD} or the first start's {@code <data>/initial-admin-password}; else
 * asked on the terminal (or read from standard input).
 */
final class SignIn {
    private static final String API_URL = "api_url";
    private SignIn() {
    }

    static void addArguments(Subparser parser) {
        addArguments(parser, true);
    }

    /**
     * @param urlFree whether {@code --url} may name the admin API; a sub-command that takes
     *                {@code --url} for something else ({@code registry add}) leaves {@code --api-url} only
     */
    static void addArguments(Subparser parser, boolean urlFree) {
        String help = "the admin API's base URL (default $BERTH_URL, else http://127.0.0.1:8080)";
        if (urlFree) {
            parser.addArgument("--url", "--api-url").dest(API_URL).help(help);
        } else {
            parser.addArgument("--api-url").dest(API_URL).help(help);
        }
        parser.addArgument("--user").help("sign in as this user or robot (default $BERTH_USER, else admin)");
    }

    /** The session of a run: the API at the URL given, signed in as the user given. */
    static Session session(Namespace ns, Map<String, String> env, Secrets secrets, PrintStream out) {
        String url = first(ns.getString(API_URL), env.get("BERTH_URL"),
                "http://127.0.0.1:" + first(env.get("BERTH_ADMIN_PORT"), "8080"));
        if (!url.matches("(?i)https?://[^\\s/]+(/\\S*)?")) {
            throw new CliException("'" + url + "' is not an http(s) URL of the admin API (--url, --api-url or"
                    + " BERTH_URL), e.g. http://127.0.0.1:8080");
        }
        String user = first(ns.getString("user"), env.get("BERTH_USER"), "admin");
        String password = password(user, env, secrets);
        return new Session(new AdminClient(url, user, password), user, password, secrets, out);
    }

    private static String password(String user, Map<String, String> env, Secrets secrets) {
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
        return secrets.read("Password for " + user + ": ", "set BERTH_PASSWORD to the password of " + user);
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
