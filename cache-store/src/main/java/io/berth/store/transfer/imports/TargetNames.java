package io.berth.store.transfer.imports;

import io.berth.store.oci.RepositoryName;
import io.berth.store.transfer.archive.ArchiveImage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The target repositories and tags of an archive's image: each reference it carries with its
 * registry host dropped ({@code docker.io/library/nginx:1.27} → {@code library/nginx:1.27}), the
 * first path component replaced by the project when one is given, and the {@code --name} for an
 * image that carries no repository (none at all, or only bare tags such as an OCI layout's {@code 1.0}).
 */
final class TargetNames {
    private final String project;
    private final String name;

    TargetNames(ImportRequest request) {
        this.project = blankToNull(request.project());
        this.name = blankToNull(request.name());
    }

    /** The targets of {@code image}, or a failure that says to give {@code --name}. */
    List<Target> of(ArchiveImage image) throws ImportException {
        Set<Target> targets = new LinkedHashSet<>();
        List<String> bareTags = new ArrayList<>();
        for (String reference : image.names()) {
            if (reference.indexOf('/') < 0 && reference.indexOf(':') < 0 && reference.indexOf('@') < 0) {
                bareTags.add(reference);
            } else {
                targets.add(fromReference(reference));
            }
        }
        if (targets.isEmpty()) {
            if (name == null) {
                throw new ImportException("image " + image.digest() + " has no repository in the archive"
                        + (bareTags.isEmpty() ? "" : " (only the tag" + (bareTags.size() > 1 ? "s " : " ")
                        + String.join(", ", bareTags) + ")") + ": give one with --name REPOSITORY[:TAG]");
            }
            Target given = fromReference(name, false);
            if (bareTags.isEmpty()) {
                targets.add(given);
            }
            for (String tag : bareTags) {
                targets.add(checked(given.repository(), tag, tag));
            }
        }
        return List.copyOf(targets);
    }

    private Target fromReference(String reference) throws ImportException {
        return fromReference(reference, true);
    }

    private Target fromReference(String reference, boolean mapProject) throws ImportException {
        String rest = reference;
        int at = rest.indexOf('@');
        if (at >= 0) {
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = at >= 0 ? null : rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        List<String> path = new ArrayList<>(List.of(rest.split("/")));
        String first = path.getFirst();
        if (mapProject && path.size() > 1 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            path.removeFirst();
        }
        if (mapProject && project != null) {
            if (path.size() > 1) {
                path.set(0, project);
            } else {
                path.addFirst(project);
            }
        }
        return checked(String.join("/", path), tag, reference);
    }

    private static Target checked(String repository, String tag, String from) throws ImportException {
        try {
            RepositoryName.parse(repository);
        } catch (RuntimeException e) {
            throw new ImportException("'" + from + "' gives the repository '" + repository + "', which a registry"
                    + " does not accept (" + e.getMessage() + "): give another with --name or --project");
        }
        if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
            throw new ImportException("'" + from + "' gives the tag '" + tag + "', which is not a valid tag");
        }
        return new Target(repository, tag);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
