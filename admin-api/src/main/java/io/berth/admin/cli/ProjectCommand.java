package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/** {@code berth project create|list}. */
public final class ProjectCommand extends ApiCommand {
    /** A password not in the environment is asked for on the terminal, else read from standard input. */
    public ProjectCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** A password not in the environment is read from {@code stdin} (for embedding and tests). */
    public ProjectCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("project", "Create and list projects (through the admin API)", env, out, stdin);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser create = action(actions, "create", "create a project (private unless --public)");
        create.addArgument("name");
        create.addArgument("--public").action(Arguments.storeTrue()).help("anyone may pull from it");
        action(actions, "list", "list the projects you may see");
    }

    @Override
    void act(String action, Namespace ns, Session session) {
        AdminClient api = session.api();
        PrintStream out = session.out();
        switch (action) {
            case "create" -> {
                api.post("/projects", AdminClient.JSON.createObjectNode().put("name", ns.getString("name"))
                        .put("public", Boolean.TRUE.equals(ns.getBoolean("public"))));
                out.println("created project " + ns.getString("name"));
            }
            case "list" -> {
                for (JsonNode project : api.getAll("/projects")) {
                    out.printf("%-32s %-8s %d repositories%n", project.path("name").asText(),
                            project.path("public").asBoolean() ? "public" : "private",
                            project.path("repositoryCount").asLong());
                }
            }
            default -> throw new CliException("unknown action " + action);
        }
    }
}
