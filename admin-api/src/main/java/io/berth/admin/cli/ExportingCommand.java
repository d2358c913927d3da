package io.berth.admin.cli;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code berth export}, {@code inventory} and {@code verify} share: they talk to a registry
 * directly ({@link ExportRegistryArguments}), not through a Berth's admin API, so they work against
 * any OCI registry. Failures print one line, {@code berth: …}, and exit with the status
 * {@link ExportCommandException} gives: input the registry layer finds invalid is a usage error,
 * anything else that goes wrong on the way a failure.
 */
abstract class ExportingCommand extends Command {
    final Map<String, String> env;
    final PrintStream out;
    private final Supplier<InputStream> stdin;
    private final boolean interactive;

    /** @param stdin where passwords are read; null for the terminal when there is one, else {@code System.in} */
    ExportingCommand(String name, String description, Map<String, String> env, PrintStream out,
                     Supplier<InputStream> stdin) {
        super(name, description);
        this.env = env;
        this.out = out;
        this.interactive = stdin == null;
        this.stdin = stdin == null ? () -> System.in : stdin;
    }

    @Override
    public final void configure(Subparser subparser) {
        ExportRegistryArguments.add(subparser);
        configureArguments(subparser);
    }

    /** Declares the command's own arguments (the registry's are declared already). */
    abstract void configureArguments(Subparser subparser);

    /** Does the command; the caller turns what it throws into one line and an exit status. */
    abstract void execute(Namespace ns, ExportRegistryArguments registry) throws IOException;

    @Override
    public final void run(Bootstrap<?> bootstrap, Namespace ns) {
        Secrets secrets = new Secrets(interactive ? System.console() : null, stdin.get());
        try {
            execute(ns, new ExportRegistryArguments(ns, secrets));
        } catch (RegistryException e) {
            throw e.code() == ErrorCode.INVALID_INPUT ? ExportCommandException.usage(e.getMessage())
                    : ExportCommandException.failure(e.getMessage());
        } catch (CliException e) {
            throw ExportCommandException.usage(e.getMessage());
        } catch (IOException e) {
            throw ExportCommandException.failure(e.getMessage());
        } catch (UncheckedIOException e) {
            throw ExportCommandException.failure(e.getCause().getMessage());
        } finally {
            out.flush();
        }
    }

    /** Whether progress is drawn as bars: a terminal, not {@code TERM=dumb}, and not embedded with our own streams. */
    boolean terminal() {
        return interactive && ProgressDisplay.isTerminal(System.console(), env);
    }

    /** The progress display for this run. */
    ProgressDisplay progress() {
        boolean terminal = terminal();
        return ProgressDisplay.on(out, terminal, terminal ? ProgressDisplay.terminalColumns(env) : 80);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof ExportCommandException || e instanceof CliException) {
            cli.getStdErr().println("berth: " + e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }
}
