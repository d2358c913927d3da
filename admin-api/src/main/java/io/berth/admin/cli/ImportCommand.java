package io.berth.admin.cli;

import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveFormats;
import io.berth.store.transfer.export.SourceRegistry;
import io.berth.store.transfer.imports.ArchiveImporter;
import io.berth.store.transfer.imports.ImportListener;
import io.berth.store.transfer.imports.ImportRequest;
import io.berth.store.transfer.imports.ImportResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code berth import --registry URL [--creds USER:PASS | --username U --password-stdin] [--insecure]
 * [--project P] [--name REPO[:TAG]] [--keep-going] [--dry-run] SOURCE…}: pushes the images of bundles,
 * OCI layouts, {@code docker save} tarballs and skopeo {@code dir:} folders into any OCI registry
 * (a Berth or another) through its V2 API, as {@link ArchiveImporter} does. Prints plain progress
 * lines (bars on a terminal) and a summary; exits with status 1 when any image or source failed.
 */
public final class ImportCommand extends Command {
    private static final Pattern NUMBERED_PART = Pattern.compile("(.+)\\.(\\d{3,})");

    private final PrintStream out;
    private final Supplier<InputStream> stdin;
    private final boolean terminal;

    /** A password not given is asked for on the terminal, else read from standard input. */
    public ImportCommand(PrintStream out) {
        this(out, null);
    }

    /** Passwords from {@code stdin}, a line each (for embedding and tests). */
    public ImportCommand(PrintStream out, Supplier<InputStream> stdin) {
        super("import", "Push the images of bundles, OCI layouts, docker save tarballs or skopeo dir: folders into"
                + " a registry, verified and resumable");
        this.out = out;
        this.terminal = stdin == null;
        this.stdin = stdin == null ? () -> System.in : stdin;
    }

    @Override
    public void configure(Subparser parser) {
        parser.addArgument("--registry").required(true).metavar("URL")
                .help("the registry to push to (https://host[:port], or http:// for a plain-HTTP one)");
        parser.addArgument("--creds").metavar("USER:PASS").help("sign in with this user and password");
        parser.addArgument("--username").help("sign in as this user, the password from --password-stdin or asked for");
        parser.addArgument("--password-stdin").action(Arguments.storeTrue())
                .help("read the --username's password from standard input");
        parser.addArgument("--insecure").action(Arguments.storeTrue()).help("accept its TLS certificate unverified");
        parser.addArgument("--project").metavar("P")
                .help("put every image in project P (replaces the first path component of its repository)");
        parser.addArgument("--name").metavar("REPO[:TAG]")
                .help("the repository (and tag) for images the archive does not name");
        parser.addArgument("--keep-going").action(Arguments.storeTrue())
                .help("after an image fails, import the others (the exit status is still 1)");
        parser.addArgument("--dry-run").action(Arguments.storeTrue())
                .help("say what would be pushed and what the registry has, push nothing");
        parser.addArgument("sources").nargs("+").metavar("SOURCE")
                .help("a bundle (or all its parts, or its first part NAME.000), an OCI layout folder or tar,"
                        + " a docker save tarball, a skopeo dir: folder");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        ImportRequest request = new ImportRequest(ns.getString("project"), ns.getString("name"),
                Boolean.TRUE.equals(ns.getBoolean("keep_going")), Boolean.TRUE.equals(ns.getBoolean("dry_run")));
        String url = ns.getString("registry");
        Credential credential = credential(ns);
        try (RegistryClient client = SourceRegistry.connect(url, credential, Boolean.TRUE.equals(ns.getBoolean("insecure")),
                null, UpstreamClients.Options.defaults())) {
            String registry = registryName(client);
            try {
                client.ping();
            } catch (UpstreamException e) {
                throw new CliException("cannot use the registry " + url + ": " + e.getMessage());
            }
            ArchiveImporter importer = new ArchiveImporter(client, client.writer(), registry, PushOptions.defaults());
            ImportBars bars = bars(request.dryRun());
            ImportListener listener = bars != null ? bars : new ImportLines(out, request.dryRun());
            ImportLines lines = bars != null ? bars.lines() : (ImportLines) listener;
            List<ImportResult> results = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (List<Path> source : sources(ns.getList("sources"))) {
                try (ArchiveContent archive = ArchiveFormats.open(source)) {
                    ImportResult result = importer.importArchive(archive, request, listener);
                    results.add(result);
                    if (result.failed() && !request.keepGoing()) {
                        break;
                    }
                } catch (IOException e) {
                    unreadable.add(source.getFirst() + ": " + e.getMessage());
                    String line = "FAILED " + source.getFirst() + ": " + e.getMessage();
                    if (bars != null) {
                        bars.note(line);
                    } else {
                        out.println(line);
                    }
                    if (!request.keepGoing()) {
                        break;
                    }
                }
            }
            if (bars != null) {
                bars.finish();
            }
            summary(results, unreadable, request.dryRun(), lines);
        } finally {
            out.flush();
        }
    }

    /** Progress bars when standard output is a terminal that draws them (not embedded, not {@code TERM=dumb}); else null. */
    private ImportBars bars(boolean dryRun) {
        Map<String, String> env = System.getenv();
        if (!terminal || !ProgressDisplay.isTerminal(System.console(), env)) {
            return null;
        }
        return new ImportBars(ProgressDisplay.on(out, true, ProgressDisplay.terminalColumns(env)), dryRun);
    }

    private void summary(List<ImportResult> results, List<String> unreadable, boolean dryRun, ImportLines lines) {
        long imported = 0;
        long present = 0;
        long failed = 0;
        long notTried = 0;
        long sent = 0;
        for (ImportResult r : results) {
            imported += r.count(Status.IMPORTED);
            present += r.count(Status.PRESENT);
            failed += r.count(Status.FAILED);
            notTried += r.count(Status.NOT_TRIED);
            sent += r.bytesSent();
        }
        out.printf("%s: %d image%s %s, %d already present, %d failed%s; %s sent in %.1f s (%s)%n",
                dryRun ? "dry run" : "import", imported, imported == 1 ? "" : "s", dryRun ? "to import" : "imported",
                present, failed, notTried > 0 ? ", " + notTried + " not tried" : "", ImportLines.bytes(sent),
                lines.elapsed() / 1e9, ImportLines.rate(sent, lines.elapsed()));
        if (failed + notTried > 0 || !unreadable.isEmpty()) {
            for (ImportResult r : results) {
                r.images().stream().filter(i -> i.status() == Status.FAILED)
                        .forEach(i -> out.println("  failed: " + i.message()));
            }
            unreadable.forEach(u -> out.println("  unreadable " + u));
            throw new CliException((failed + unreadable.size()) + " failed" + (notTried > 0 ? ", " + notTried
                    + " not tried" : "") + "; nothing was tagged for them. Fix what the messages say and run the"
                    + " same import again: what is already there is skipped");
        }
    }

    private Credential credential(Namespace ns) {
        String creds = ns.getString("creds");
        String username = ns.getString("username");
        boolean passwordStdin = Boolean.TRUE.equals(ns.getBoolean("password_stdin"));
        if (creds != null && (username != null || passwordStdin)) {
            throw new CliException("give --creds USER:PASS or --username with --password-stdin, not both");
        }
        if (creds != null) {
            int colon = creds.indexOf(':');
            if (colon <= 0) {
                throw new CliException("--creds takes USER:PASS");
            }
            return new Credential.Basic(creds.substring(0, colon), creds.substring(colon + 1));
        }
        if (passwordStdin && username == null) {
            throw new CliException("--password-stdin needs --username");
        }
        if (username == null) {
            return null;
        }
        Secrets secrets = new Secrets(terminal ? System.console() : null, stdin.get());
        String password = passwordStdin ? secrets.line("password", "pipe the password in with --password-stdin")
                : secrets.read("Password for " + username + " at the registry: ",
                "pipe the password in with --password-stdin");
        return new Credential.Basic(username, password);
    }

    /** The sources as archives: consecutive parts of one split bundle ({@code NAME.000 NAME.001 …}) are one. */
    static List<List<Path>> sources(List<String> given) {
        List<List<Path>> archives = new ArrayList<>();
        String base = null;
        for (String s : given) {
            Path path = Path.of(s);
            Matcher m = NUMBERED_PART.matcher(path.getFileName().toString());
            String partOf = m.matches() ? path.resolveSibling(m.group(1)).toString() : null;
            if (partOf != null && partOf.equals(base)) {
                archives.getLast().add(path);
            } else {
                archives.add(new ArrayList<>(List.of(path)));
            }
            base = partOf;
        }
        return archives;
    }

    private static String registryName(RegistryClient client) {
        URI first = client.endpoint().urls().getFirst();
        return first.getAuthority() != null ? first.getAuthority() : first.toString();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof CliException) {
            cli.getStdErr().println("berth: " + e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }
}
