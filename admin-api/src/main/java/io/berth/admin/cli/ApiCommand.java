package io.berth.admin.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.util.Map;

/**
 * A command of the {@code berth} command line with sub-commands ({@code berth user add …}) that
 * acts through a running Berth's admin API. Failures print one line and exit with status 1.
 */
abstract class ApiCommand extends Command {
    private final Map<String, String> env;
    private final PrintStream out;

    ApiCommand(String name, String description, Map<String, String> env, PrintStream out) {
        super(name, description);
        this.env = env;
        this.out = out;
    }

    @Override
    public final void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest("action").metavar("ACTION");
        configureActions(actions);
    }

    /** Declares the sub-commands; each should call {@link SignIn#addArguments}. */
    abstract void configureActions(Subparsers actions);

    /** Does sub-command {@code action}. */
    abstract void act(String action, Namespace ns, AdminClient api, PrintStream out);

    @Override
    public final void run(Bootstrap<?> bootstrap, Namespace ns) {
        act(ns.getString("action"), ns, SignIn.client(ns, env), out);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof CliException) {
            cli.getStdErr().println("berth: " + e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }

    static Subparser action(Subparsers actions, String name, String help) {
        Subparser parser = actions.addParser(name).help(help);
        SignIn.addArguments(parser);
        return parser;
    }
}
