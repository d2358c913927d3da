package io.berth.admin.cli;

import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.BundleHead;
import io.berth.store.transfer.export.BundleVerifier;
import io.berth.store.transfer.export.SourceRegistry;
import io.berth.store.upstream.RegistryClient;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code berth verify --registry URL [creds…] [--project P] BUNDLE}: whether a registry holds what a
 * bundle carried ({@link BundleVerifier}), the bundle given as its tar, its first part
 * ({@code NAME.000}) or its sidecar. One line per reference: present, missing, or pointing at
 * another digest; exit status 1 when any is not present. With {@code --project P}, an image of
 * {@code team/app} is looked for at {@code P/app} (and {@code app} at {@code P/app}), as
 * {@code berth import --project P} puts it.
 */
public final class VerifyCommand extends ExportingCommand {
    public VerifyCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** Passwords from {@code stdin}, a line each (for embedding and tests). */
    public VerifyCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("verify", "Check that a registry holds every image of a bundle with the bundle's digest", env, out, stdin);
    }

    @Override
    void configureArguments(Subparser parser) {
        parser.addArgument("--project").metavar("P")
                .help("the images were imported under project P (its first path component replaced by P)");
        parser.addArgument("bundle").metavar("BUNDLE")
                .help("the bundle (NAME.tar), its first part (NAME.tar.000) or its sidecar (NAME.tar.berth-bundle.json)");
    }

    @Override
    void execute(Namespace ns, ExportRegistryArguments registry) throws IOException {
        BundleDescriptor bundle = descriptor(ns.getString("bundle"));
        UnaryOperator<String> repositories = repositories(ns.getString("project"));
        try (RegistryClient client = registry.connect()) {
            BundleVerifier.Report report = new BundleVerifier(SourceRegistry.of(client), repositories).verify(bundle);
            report.findings().forEach(out::println);
            long missing = count(report, BundleVerifier.Status.MISSING);
            long different = count(report, BundleVerifier.Status.DIFFERENT);
            out.println(count(report, BundleVerifier.Status.PRESENT) + " present, " + missing + " missing, "
                    + different + " different, of " + bundle.images().size() + " images in the bundle");
            if (!report.ok()) {
                throw ExportCommandException.failure(registry.url() + " does not hold everything the bundle carried ("
                        + missing + " missing, " + different + " different): import the bundle again");
            }
        }
    }

    private static BundleDescriptor descriptor(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw ExportCommandException.usage("the bundle " + file + " does not exist (give the bundle, its first"
                    + " part NAME.000, or its sidecar NAME.berth-bundle.json)");
        }
        try {
            return BundleHead.read(path);
        } catch (IOException e) {
            throw ExportCommandException.usage(e.getMessage());
        }
    }

    /** Where an image of a source repository is at the verified registry. */
    static UnaryOperator<String> repositories(String project) {
        if (project == null) {
            return UnaryOperator.identity();
        }
        String p;
        try {
            p = RepositoryName.checkProjectName(project);
        } catch (RegistryException e) {
            throw ExportCommandException.usage("--project: " + e.getMessage());
        }
        return repository -> {
            int slash = repository.indexOf('/');
            return p + "/" + (slash < 0 ? repository : repository.substring(slash + 1));
        };
    }

    private static long count(BundleVerifier.Report report, BundleVerifier.Status status) {
        return report.findings().stream().filter(f -> f.status() == status).count();
    }
}
