package io.berth.admin.cli;

import io.berth.store.transfer.export.SourceRegistry;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamException;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The registry {@code berth export|inventory|verify} talk to, as the command line names it:
 * {@code --registry URL} ({@code https://} assumed when no scheme is given; {@code docker.io} for
 * Docker Hub), signed in with {@code --creds USER:PASS}, or {@code --username U} with the password
 * from {@code --password-stdin} or typed at the terminal; {@code --insecure} and {@code --ca FILE}
 * for its TLS. {@link #connect} checks that it answers {@code /v2/} with those credentials first, so
 * that a wrong URL or password is one clear line before any work starts.
 */
final class ExportRegistryArguments {
    private final Namespace ns;
    private final Secrets secrets;

    ExportRegistryArguments(Namespace ns, Secrets secrets) {
        this.ns = ns;
        this.secrets = secrets;
    }

    static void add(Subparser parser) {
        parser.addArgument("--registry").required(true).metavar("URL")
                .help("the registry's base URL, e.g. https://registry.example.org (https:// when no scheme is given)");
        parser.addArgument("--creds").metavar("USER:PASS")
                .help("sign in as USER with PASS (visible to other users of this host: prefer --password-stdin)");
        parser.addArgument("--username").metavar("USER")
                .help("sign in as USER, with the password from --password-stdin or typed at the terminal");
        parser.addArgument("--password-stdin").action(Arguments.storeTrue())
                .help("read the --username's password from the first line of standard input");
        parser.addArgument("--insecure").action(Arguments.storeTrue())
                .help("accept the registry's TLS certificate unverified");
        parser.addArgument("--ca").metavar("FILE").help("a CA certificate file (PEM) to trust for the registry");
    }

    /** The URL as given, for messages. */
    String url() {
        return ns.getString("registry");
    }

    /** A client for the registry, which answered {@code /v2/}; the caller closes it. */
    RegistryClient connect() throws ExportCommandException {
        String url = url().strip();
        if (!url.contains("://") && !url.equals("docker.io")) {
            url = "https://" + url;
        }
        RegistryClient client;
        try {
            client = SourceRegistry.connect(url, credential(), Boolean.TRUE.equals(ns.getBoolean("insecure")), ca(),
                    UpstreamClients.Options.defaults());
        } catch (IllegalArgumentException e) {
            throw ExportCommandException.usage("the CA file " + ns.getString("ca") + " cannot be used: " + e.getMessage());
        }
        try {
            client.ping();
        } catch (UpstreamException e) {
            client.close();
            throw ExportCommandException.failure(unreachable(url, e));
        }
        return client;
    }

    private static String unreachable(String url, UpstreamException e) {
        return switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> "cannot reach the registry at " + url + " (" + e.getMessage()
                    + "): check --registry, and that the registry is up";
            case UNAUTHORIZED -> "the registry at " + url + " refused the credentials (" + e.getMessage()
                    + "): check --creds or --username and the password";
            default -> "the registry at " + url + " does not answer as a registry should (" + e.getMessage()
                    + "): check --registry";
        };
    }

    private Credential credential() {
        String creds = ns.getString("creds");
        String username = ns.getString("username");
        boolean passwordStdin = Boolean.TRUE.equals(ns.getBoolean("password_stdin"));
        if (creds != null) {
            if (username != null || passwordStdin) {
                throw ExportCommandException.usage("give --creds USER:PASS, or --username with --password-stdin, not both");
            }
            int colon = creds.indexOf(':');
            if (colon <= 0) {
                throw ExportCommandException.usage("--creds takes USER:PASS (a user name, a colon, the password)");
            }
            return new Credential.Basic(creds.substring(0, colon), creds.substring(colon + 1));
        }
        if (username == null) {
            if (passwordStdin) {
                throw ExportCommandException.usage("--password-stdin needs --username");
            }
            return null;
        }
        String password = passwordStdin
                ? secrets.line("password", "pipe the password in with --password-stdin")
                : secrets.read("Password for " + username + " at " + url() + ": ",
                "pipe the password in with --password-stdin");
        return new Credential.Basic(username, password);
    }

    private String ca() {
        String file = ns.getString("ca");
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw ExportCommandException.usage("the CA file " + file + " does not exist");
        } catch (IOException e) {
            throw ExportCommandException.usage("cannot read the CA file " + file + ": " + e.getMessage());
        }
    }
}
