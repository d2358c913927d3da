package io.berth.admin.cli;

import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.BundleExporter;
import io.berth.store.transfer.export.ByteSize;
import io.berth.store.transfer.export.ExportRequest;
import io.berth.store.transfer.export.ImageSelector;
import io.berth.store.transfer.export.PlatformFilter;
import io.berth.store.transfer.export.SiteInventory;
import io.berth.store.transfer.export.SourceRegistry;
import io.berth.store.upstream.RegistryClient;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code berth export --registry URL [creds…] [--images FILE | REF…] [--platform os/arch …]
 * [--referrers] [--inventory INV.json] [--split 4G] -o bundle.tar}: images of any OCI registry into
 * a bundle ({@link BundleExporter}), with progress as it goes and a summary at the end (images,
 * bytes, time, the bundle's path and sha256, its sidecar). Everything the command line names is
 * checked before the registry is asked anything.
 */
public final class ExportCommand extends ExportingCommand {
    public ExportCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** Passwords from {@code stdin}, a line each, and plain progress lines (for embedding and tests). */
    public ExportCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("export", "Export images of a registry into a bundle (an OCI layout tar) to carry to an air-gapped site",
                env, out, stdin);
    }

    @Override
    void configureArguments(Subparser parser) {
        parser.addArgument("images").nargs("*").metavar("REF")
                .help("repo:tag, repo@sha256:<hex>, repo:/regex/ or a semver range such as repo:~1.2 (no registry host)");
        parser.addArgument("--images").dest("images_file").metavar("FILE")
                .help("read selectors from FILE, one a line (# starts a comment)");
        parser.addArgument("--platform").action(Arguments.append()).metavar("OS/ARCH")
                .help("take only these platforms of multi-platform images (repeat it); default: indexes whole");
        parser.addArgument("--referrers").action(Arguments.storeTrue())
                .help("take the referrers (signatures, SBOMs) of every exported manifest with it");
        parser.addArgument("--inventory").metavar("INV.json")
                .help("write a delta bundle: leave out what this inventory (berth inventory) lists");
        parser.addArgument("--split").metavar("SIZE").help("cut the bundle into parts of SIZE (e.g. 4G, 700M)");
        parser.addArgument("-o", "--output").required(true).metavar("BUNDLE.tar").help("the bundle file to write");
    }

    @Override
    void execute(Namespace ns, ExportRegistryArguments registry) throws IOException {
        ExportRequest request = request(ns);
        long began = System.nanoTime();
        try (RegistryClient client = registry.connect()) {
            out.println("exporting " + request.images().size() + " selector" + (request.images().size() == 1 ? "" : "s")
                    + " from " + registry.url() + (request.inventory() == null ? ""
                    : " (a delta against the inventory of " + request.inventory().registry() + ")"));
            ExportProgress progress = new ExportProgress(progress());
            BundleExporter.Result result;
            try {
                result = new BundleExporter(SourceRegistry.of(client)).export(request, progress);
            } finally {
                progress.finished();
            }
            summary(result, System.nanoTime() - began);
        }
    }

    /** The request the command line asks for; a usage error for anything it cannot read. */
    private static ExportRequest request(Namespace ns) {
        List<ImageSelector> selectors = new ArrayList<>();
        String file = ns.getString("images_file");
        if (file != null) {
            selectors.addAll(ImageSelector.parseLines(ExportFiles.lines(file, "image list")));
        }
        List<String> refs = ns.getList("images");
        if (refs != null) {
            refs.forEach(r -> selectors.add(ImageSelector.parse(r)));
        }
        if (selectors.isEmpty()) {
            throw ExportCommandException.usage("name the images to export: REF… (repo:tag, repo:/regex/, repo:~1.2)"
                    + " or --images FILE");
        }
        List<String> platforms = ns.getList("platform");
        PlatformFilter filter = platforms == null ? PlatformFilter.everything() : PlatformFilter.parse(platforms);
        Path output = ExportFiles.writable(ns.getString("output"));
        long split = ns.getString("split") == null ? 0 : ByteSize.parse(ns.getString("split"));
        if (split > 0 && split < 1024) {
            throw ExportCommandException.usage("--split " + ns.getString("split") + " is too small: a part holds at"
                    + " least 1K (e.g. 4G, 700M)");
        }
        ExportRequest request = new ExportRequest(selectors, filter, Boolean.TRUE.equals(ns.getBoolean("referrers")),
                null, output, split, Instant.now());
        String inventory = ns.getString("inventory");
        return inventory == null ? request : request.withInventory(inventory(inventory));
    }

    private static SiteInventory inventory(String file) {
        try {
            return SiteInventory.read(Path.of(file));
        } catch (NoSuchFileException e) {
            throw ExportCommandException.usage("the inventory " + file + " does not exist (berth inventory makes one)");
        } catch (IOException e) {
            throw ExportCommandException.usage(e.getMessage());
        }
    }

    private void summary(BundleExporter.Result result, long nanos) {
        BundleDescriptor d = result.descriptor();
        BundleDescriptor.Content content = d.content();
        out.println("exported " + d.images().size() + " image" + (d.images().size() == 1 ? "" : "s") + " ("
                + content.manifests() + " manifests, " + content.blobs() + " blobs, "
                + ProgressFormat.bytes(content.bytes()) + ") in " + ProgressFormat.duration(nanos) + ", "
                + ProgressFormat.rate(content.bytes(), nanos));
        if (d.delta() != null) {
            out.println("delta: left out " + content.omittedManifests() + " manifests and " + content.omittedBlobs()
                    + " blobs (" + ProgressFormat.bytes(content.omittedBytes()) + ") the inventory "
                    + d.delta().inventoryDigest() + " lists");
        }
        BundleDescriptor.Bundle bundle = d.bundle();
        Path tar = result.sidecar().resolveSibling(bundle.name());
        out.println("bundle:  " + tar + (bundle.parts().isEmpty() ? "" : " in " + bundle.parts().size()
                + " parts (cat them for the tar)") + "  " + ProgressFormat.bytes(bundle.size()) + "  " + bundle.sha256());
        for (int i = 0; i < bundle.parts().size(); i++) {
            BundleDescriptor.Part part = bundle.parts().get(i);
            out.println("part:    " + result.files().get(i) + "  " + ProgressFormat.bytes(part.size()) + "  "
                    + part.sha256());
        }
        out.println("sidecar: " + result.sidecar());
    }
}
