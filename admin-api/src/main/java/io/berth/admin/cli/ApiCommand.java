package io.berth.admin.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A command of the {@code berth} command line with sub-commands ({@code berth user add …}) that
 * acts through a running Berth's admin API. Failures print one line, {@code berth: …}, and exit
 * with status 1.
 */
abstract class ApiCommand extends Command {
    private final Map<String, String> env;
    private final PrintStream out;
    private final Supplier<InputStream> stdin;
    private final boolean terminal;

    /**
     * @param stdin    where passwords are read, a line each; null for the terminal when there is one,
     *                 else {@code System.in}
     */
    ApiCommand(String name, String description, Map<String, String> env, PrintStream out,
               Supplier<InputStream> stdin) {
        super(name, description);
        this.env = env;
        this.out = out;
        this.terminal = stdin == null;
        this.stdin = stdin == null ? () -> System.in : stdin;
    }

    @Override
    public final void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest("action").metavar("ACTION");
        configureActions(actions);
    }

    /** Declares the sub-commands; each should call {@link SignIn#addArguments}. */
    abstract void configureActions(Subparsers actions);

    /** Does sub-command {@code action}. */
    abstract void act(String action, Namespace ns, Session session);

    @Override
    public final void run(Bootstrap<?> bootstrap, Namespace ns) {
        Secrets secrets = new Secrets(terminal ? System.console() : null, stdin.get());
        Session session = SignIn.session(ns, env, secrets, out);
        try {
            act(ns.getString("action"), ns, session);
        } finally {
            session.api().close();
            out.flush();
        }
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
        return action(actions, name, help, true);
    }

    /** @param urlFree false when the sub-command takes {@code --url} for itself (the admin API's is then {@code --api-url}) */
    static Subparser action(Subparsers actions, String name, String help, boolean urlFree) {
        Subparser parser = actions.addParser(name).help(help);
        SignIn.addArguments(parser, urlFree);
        return parser;
    }
}
