package io.berth.admin.cli;

import io.berth.store.transfer.export.InventoryTaker;
import io.berth.store.transfer.export.SiteInventory;
import io.berth.store.transfer.export.SourceRegistry;
import io.berth.store.upstream.RegistryClient;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code berth inventory --registry URL [creds…] [REPO…] -o INV.json}: what a registry holds
 * ({@link InventoryTaker}: manifests and blobs by digest, tags), written compactly to carry back
 * across an air gap for the next {@code berth export --inventory}. Every repository of the catalog,
 * or those named (for registries that do not list theirs). On a terminal the repository being read
 * is shown on one line; otherwise a line at most every few seconds.
 */
public final class InventoryCommand extends ExportingCommand {
    private static final long LINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    public InventoryCommand(Map<String, String> env, PrintStream out) {
        this(env, out, null);
    }

    /** Passwords from {@code stdin}, a line each, and plain progress lines (for embedding and tests). */
    public InventoryCommand(Map<String, String> env, PrintStream out, Supplier<InputStream> stdin) {
        super("inventory", "Write what a registry holds (digests and tags) to a file, for a delta export", env, out,
                stdin);
    }

    @Override
    void configureArguments(Subparser parser) {
        parser.addArgument("repositories").nargs("*").metavar("REPO")
                .help("the repositories to list (default: every one the registry's catalog lists)");
        parser.addArgument("-o", "--output").required(true).metavar("INV.json").help("the inventory file to write");
    }

    @Override
    void execute(Namespace ns, ExportRegistryArguments registry) throws IOException {
        Path output = ExportFiles.writable(ns.getString("output"));
        List<String> repositories = ns.getList("repositories") == null ? List.of() : ns.getList("repositories");
        long began = System.nanoTime();
        try (RegistryClient client = registry.connect()) {
            RepositoryLine line = new RepositoryLine(terminal());
            SiteInventory inventory;
            try {
                inventory = new InventoryTaker(SourceRegistry.of(client)).take(repositories, line);
            } finally {
                line.finish();
            }
            SiteInventory written = inventory.write(output);
            out.println("inventory of " + inventory.registry() + ": " + line.count + " repositories, "
                    + inventory.tags().size() + " tags, " + inventory.manifests().size() + " manifests, "
                    + inventory.blobs().size() + " blobs, in " + ProgressFormat.duration(System.nanoTime() - began));
            out.println("written: " + output + "  " + written.digest());
        }
    }

    /** The repository being read: one line redrawn on a terminal, else a line at most every few seconds. */
    private final class RepositoryLine implements Consumer<String> {
        private final boolean terminal;
        private int count;
        private long lastLine = System.nanoTime();

        RepositoryLine(boolean terminal) {
            this.terminal = terminal;
        }

        @Override
        public void accept(String repository) {
            count++;
            if (terminal) {
                out.print("\r\033[2Krepository " + count + ": " + repository);
                out.flush();
            } else if (System.nanoTime() - lastLine >= LINE_EVERY_NANOS) {
                lastLine = System.nanoTime();
                out.println("progress: " + count + " repositories read, now " + repository);
            }
        }

        void finish() {
            if (terminal && count > 0) {
                out.print("\r\033[2K");
                out.flush();
            }
        }
    }
}
