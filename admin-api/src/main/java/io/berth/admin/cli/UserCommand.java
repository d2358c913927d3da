package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/** {@code berth user add|passwd|list}: accounts, for scripts and for the first steps. */
public final class UserCommand extends ApiCommand {
    /** Passwords from the terminal, or from standard input when there is none. */
    public UserCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** Passwords from {@code stdin}, a line each (for embedding and tests). */
    public UserCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("user", "Add users, change their passwords, list them (through the admin API)", env, out, stdin);
    }

    @Override
    void configureActions(Subparsers actions) {
        Subparser add = action(actions, "add", "create a user; the password comes from the terminal or standard input");
        add.addArgument("username");
        add.addArgument("--email");
        add.addArgument("--sysadmin").action(Arguments.storeTrue()).help("make the user a system admin");
        Subparser passwd = action(actions, "passwd", "set a user's password (a system admin needs no old one but"
                + " for their own account)");
        passwd.addArgument("username");
        action(actions, "list", "list users");
    }

    @Override
    void act(String action, Namespace ns, Session session) {
        String username = ns.getString("username");
        switch (action) {
            case "add" -> {
                ObjectNode body = AdminClient.JSON.createObjectNode().put("username", username)
                        .put("password", session.secrets().read("Password for the new user: ",
                                "pipe the new user's password in"));
                if (ns.getString("email") != null) {
                    body.put("email", ns.getString("email"));
                }
                if (Boolean.TRUE.equals(ns.getBoolean("sysadmin"))) {
                    body.put("sysadmin", true);
                }
                session.api().post("/users", body);
                session.out().println("created user " + username);
            }
            case "passwd" -> {
                ObjectNode body = AdminClient.JSON.createObjectNode().put("newPassword", session.secrets().read(
                        "New password: ", "pipe the new password in"));
                if (username.equals(session.user())) {
                    body.put("oldPassword", session.password()); // changing one's own needs the current one
                }
                session.api().put("/users/" + AdminClient.segment(username) + "/password", body);
                session.out().println("changed the password of " + username);
            }
            case "list" -> {
                for (JsonNode user : session.api().getAll("/users")) {
                    session.out().printf("%-32s %-32s %s%n", user.path("username").asText(),
                            user.path("email").asText(""), user.path("sysadmin").asBoolean() ? "sysadmin" : "");
                }
            }
            default -> throw new CliException("unknown action " + action);
        }
    }
}
