package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code berth robot create}: a robot account for CI or a cluster; prints its secret, once. */
public final class RobotCommand extends ApiCommand {
    /** A password not in the environment is asked for on the terminal, else read from standard input. */
    public RobotCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** A password not in the environment is read from {@code stdin} (for embedding and tests). */
    public RobotCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("robot", "Create robot accounts (through the admin API)", env, out, stdin);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser create = action(actions, "create", "create a robot account and print its secret (shown only once)");
        create.addArgument("name");
        create.addArgument("--project").help("a project robot (robot$<project>+<name>); without it a system robot");
        create.addArgument("--expires-in-days").type(Integer.class).setDefault(-1)
                .help("days until it expires (-1: never, the default)");
        create.addArgument("--permission").action(Arguments.append()).metavar("PROJECT:ACTIONS")
                .help("e.g. team:pull,push; repeat for more projects (default: pull in --project)");
        create.addArgument("--description");
    }

    @Override
    void act(String action, Namespace ns, Session session) {
        AdminClient api = session.api();
        PrintStream out = session.out();
        if (!"create".equals(action)) {
            throw new CliException("unknown action " + action);
        }
        String project = ns.getString("project");
        ObjectNode body = AdminClient.JSON.createObjectNode().put("name", ns.getString("name"))
                .put("expiresInDays", ns.getInt("expires_in_days"));
        if (project != null) {
            body.put("project", project);
        }
        if (ns.getString("description") != null) {
            body.put("description", ns.getString("description"));
        }
        List<String> permissions = ns.getList("permission");
        if (permissions == null || permissions.isEmpty()) {
            if (project == null) {
                throw new CliException("a system robot needs at least one --permission PROJECT:ACTIONS");
            }
            permissions = List.of(project + ":pull");
        }
        ArrayNode list = body.putArray("permissions");
        for (String p : permissions) {
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new CliException("--permission wants PROJECT:ACTIONS such as team:pull,push, not '" + p + "'");
            }
            ArrayNode actionsOf = list.addObject().put("project", p.substring(0, colon)).putArray("actions");
            for (String a : p.substring(colon + 1).split(",")) {
                actionsOf.add(a.strip());
            }
        }
        JsonNode created = api.post("/robots", body);
        out.println("name:   " + created.path("name").asText());
        out.println("secret: " + created.path("secret").asText());
        out.println("(the secret is shown only now; docker login -u '" + created.path("name").asText()
                + "' --password-stdin)");
    }
}
