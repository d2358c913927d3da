package io.berth.store.transfer.imports;

/**
 * How an archive is imported.
 *
 * @param project   replaces the first path component of every target repository ({@code library/nginx}
 *                  → {@code P/nginx}) and prefixes single-component ones ({@code nginx} → {@code P/nginx});
 *                  null: repositories as the archive names them
 * @param name      {@code REPOSITORY[:TAG]} for images the archive gives no repository (a skopeo
 *                  {@code dir:}, an untagged {@code docker save}, an OCI layout with bare tags), taken
 *                  as it is; null: such images fail saying so
 * @param keepGoing after an image fails, import the others; false: stop at the first failure
 * @param dryRun    ask the registry what it holds and say what would be pushed, push nothing
 */
public record ImportRequest(String project, String name, boolean keepGoing, boolean dryRun) {
    /** Everything as the archive names it, stopping at the first failure, for real. */
    public static ImportRequest defaults() {
        return new ImportRequest(null, null, false, false);
    }

    public ImportRequest withProject(String p) {
        return new ImportRequest(p, name, keepGoing, dryRun);
    }

    public ImportRequest withName(String n) {
        return new ImportRequest(project, n, keepGoing, dryRun);
    }

    public ImportRequest keepingGoing(boolean keep) {
        return new ImportRequest(project, name, keep, dryRun);
    }

    public ImportRequest dryRun(boolean dry) {
        return new ImportRequest(project, name, keepGoing, dry);
    }
}
