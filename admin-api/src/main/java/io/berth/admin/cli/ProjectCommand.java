package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.util.Map;

/** {@code berth project create|list}. */
public final class ProjectCommand extends ApiCommand {
    public ProjectCommand(Map<String, String> env, PrintStream out) {
        super("project", "Create and list projects (through the admin API)", env, out);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser create = action(actions, "create", "create a project (private unless --public)");
        create.addArgument("name");
        create.addArgument("--public").action(Arguments.storeTrue()).help("anyone may pull from it");
        action(actions, "list", "list the projects you may see");
    }

    @Override
    void act(String action, Namespace ns, AdminClient api, PrintStream out) {
        switch (action) {
            case "create" -> {
                api.post("/projects", AdminClient.JSON.createObjectNode().put("name", ns.getString("name"))
                        .put("public", Boolean.TRUE.equals(ns.getBoolean("public"))));
                out.println("created project " + ns.getString("name"));
            }
            case "list" -> {
                for (JsonNode project : api.get("/projects?page_size=100")) {
                    out.printf("%-32s %-8s %d repositories%n", project.path("name").asText(),
                            project.path("public").asBoolean() ? "public" : "private",
                            project.path("repositoryCount").asLong());
                }
            }
            default -> throw new CliException("unknown action " + action);
        }
    }
}
