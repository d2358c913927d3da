package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.util.Map;

/** {@code berth user add|passwd|list}: accounts, for scripts and for the first steps. */
public final class UserCommand extends ApiCommand {
    public UserCommand(Map<String, String> env, PrintStream out) {
        super("user", "Add users, change their passwords, list them (through the admin API)", env, out);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser add = action(actions, "add", "create a user; the password comes from the terminal or standard input");
        add.addArgument("username");
        add.addArgument("--email");
        add.addArgument("--sysadmin").action(Arguments.storeTrue()).help("make the user a system admin");
        Subparser passwd = action(actions, "passwd", "set a user's password (a system admin needs no old one)");
        passwd.addArgument("username");
        action(actions, "list", "list users");
    }

    @Override
    void act(String action, Namespace ns, AdminClient api, PrintStream out) {
        switch (action) {
            case "add" -> {
                ObjectNode body = AdminClient.JSON.createObjectNode()
                        .put("username", ns.getString("username"))
                        .put("password", SignIn.secret("Password for the new user: ",
                                "pipe the new user's password in"));
                if (ns.getString("email") != null) {
                    body.put("email", ns.getString("email"));
                }
                api.post("/users", body);
                if (Boolean.TRUE.equals(ns.getBoolean("sysadmin"))) {
                    api.put("/users/" + AdminClient.segment(ns.getString("username")) + "/sysadmin",
                            AdminClient.JSON.createObjectNode().put("sysadmin", true));
                }
                out.println("created user " + ns.getString("username"));
            }
            case "passwd" -> {
                api.put("/users/" + AdminClient.segment(ns.getString("username")) + "/password",
                        AdminClient.JSON.createObjectNode().put("newPassword", SignIn.secret("New password: ",
                                "pipe the new password in")));
                out.println("changed the password of " + ns.getString("username"));
            }
            case "list" -> {
                for (JsonNode user : api.get("/users?page_size=100")) {
                    out.printf("%-32s %-32s %s%n", user.path("username").asText(), user.path("email").asText(""),
                            user.path("sysadmin").asBoolean() ? "sysadmin" : "");
                }
            }
            default -> throw new CliException("unknown action " + action);
        }
    }
}
