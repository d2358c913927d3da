package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code berth registry add|list|ping|rm}: the upstream registries proxy projects mirror, named by
 * name or id. A password or
 * token is read from standard input ({@code --password-stdin}, {@code --token-stdin}), never from
 * the command line, where other users of the host could see it.
 */
public final class RegistryCommand extends ApiCommand {
    /** A password not in the environment is asked for on the terminal, else read from standard input. */
    public RegistryCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** Passwords and tokens from {@code stdin}, a line each (for embedding and tests). */
    public RegistryCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("registry", "Add, list, check and remove upstream registry endpoints (through the admin API)", env, out,
                stdin);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser add = action(actions, "add", "add a registry endpoint for proxy projects to mirror (the admin API's"
                + " URL is --api-url here)", false);
        add.addArgument("name");
        add.addArgument("--type").choices("v2", "docker-hub").setDefault("v2")
                .help("docker-hub or v2 (any other registry; the default)");
        add.addArgument("--url").action(Arguments.append()).metavar("URL")
                .help("its base URL; repeat for mirrors of the same registry, tried in order (docker-hub: optional)");
        add.addArgument("--insecure").action(Arguments.storeTrue()).help("accept its TLS certificate unverified");
        add.addArgument("--ca-file").metavar("PEM").help("a CA certificate file (PEM) to trust for it");
        add.addArgument("--description");
        add.addArgument("--username").help("sign in to it as this user, with the password from --password-stdin");
        add.addArgument("--password-stdin").action(Arguments.storeTrue())
                .help("read the --username's password from standard input");
        add.addArgument("--token-stdin").action(Arguments.storeTrue())
                .help("read a bearer token from standard input instead of a user name and password");
        action(actions, "list", "list the registry endpoints");
        action(actions, "ping", "check that a registry endpoint answers with its credentials").addArgument("registry")
                .help("its name or id");
        action(actions, "rm", "remove a registry endpoint no proxy project uses").addArgument("registry")
                .help("its name or id");
    }

    @Override
    void act(String action, Namespace ns, Session session) {
        switch (action) {
            case "add" -> add(ns, session);
            case "list" -> {
                for (JsonNode registry : session.api().getAll("/registries")) {
                    JsonNode credential = registry.path("credential");
                    session.out().printf("%-6d %-24s %-10s %s%s%s%n", registry.path("id").asLong(),
                            registry.path("name").asText(), registry.path("type").asText(),
                            String.join(" ", strings(registry.path("urls"))),
                            registry.path("insecure").asBoolean() ? " (TLS not verified)" : "",
                            credential.isObject() ? "  as " + (credential.has("username")
                                    ? credential.path("username").asText() : "token") : "");
                }
            }
            case "ping" -> ping(session, endpoint(ns, session));
            case "rm" -> {
                JsonNode endpoint = endpoint(ns, session);
                session.api().delete("/registries/" + endpoint.path("id").asLong());
                session.out().println("removed registry endpoint " + endpoint.path("name").asText());
            }
            default -> throw new CliException("unknown action " + action);
        }
    }

    private static void add(Namespace ns, Session session) {
        String username = ns.getString("username");
        boolean passwordStdin = Boolean.TRUE.equals(ns.getBoolean("password_stdin"));
        boolean tokenStdin = Boolean.TRUE.equals(ns.getBoolean("token_stdin"));
        if (passwordStdin && username == null) {
            throw new CliException("--password-stdin needs --username");
        }
        if (tokenStdin && (username != null || passwordStdin)) {
            throw new CliException("give --username with --password-stdin, or --token-stdin, not both");
        }
        ObjectNode body = AdminClient.JSON.createObjectNode().put("name", ns.getString("name"))
                .put("type", ns.getString("type")).put("insecure", Boolean.TRUE.equals(ns.getBoolean("insecure")));
        List<String> urls = ns.getList("url");
        if (urls != null && !urls.isEmpty()) {
            urls.forEach(body.putArray("urls")::add);
        }
        if (ns.getString("description") != null) {
            body.put("description", ns.getString("description"));
        }
        if (ns.getString("ca_file") != null) {
            body.put("caPem", readCa(ns.getString("ca_file")));
        }
        if (username != null) {
            String password = passwordStdin
                    ? session.secrets().line("password", "pipe the password in with --password-stdin")
                    : session.secrets().read("Password for " + username + " at the registry: ",
                    "pipe the password in with --password-stdin");
            body.putObject("credential").put("username", username).put("password", password);
        } else if (tokenStdin) {
            body.putObject("credential").put("token", session.secrets().line("token", "pipe the token in with --token-stdin"));
        }
        JsonNode created = session.api().post("/registries", body);
        session.out().println("created registry endpoint " + created.path("name").asText() + " (id "
                + created.path("id").asLong() + ") for " + String.join(" ", strings(created.path("urls"))));
    }

    private static void ping(Session session, JsonNode endpoint) {
        JsonNode ping = session.api().post("/registries/" + endpoint.path("id").asLong() + "/ping", null);
        JsonNode limit = ping.path("rateLimit");
        session.out().println(endpoint.path("name").asText() + " answered in " + ping.path("millis").asLong() + " ms"
                + (limit.isObject() ? ", " + limit.path("remaining").asLong() + " of " + limit.path("limit").asLong()
                + " pulls left per " + limit.path("windowSeconds").asLong() + " s" : ""));
    }

    /** The endpoint the {@code registry} argument names, by id or by name. */
    private static JsonNode endpoint(Namespace ns, Session session) {
        String wanted = ns.getString("registry");
        for (JsonNode registry : session.api().getAll("/registries")) {
            if (registry.path("name").asText().equals(wanted) || String.valueOf(registry.path("id").asLong())
                    .equals(wanted)) {
                return registry;
            }
        }
        throw new CliException("no registry endpoint named " + wanted + " (berth registry list shows them)");
    }

    private static String readCa(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CliException("cannot read the CA file " + file + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asText).toList();
    }
}
