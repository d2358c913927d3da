package io.berth.store.label;

import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.Outbox;
import io.berth.store.event.RegistryEvent;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Labels on artifacts ({@code prod}, {@code qa}): put on and taken off by name, each change written
 * into the event outbox in its own transaction ({@code LABEL_ADDED}, {@code LABEL_REMOVED}), so that
 * the audit log and event-based replication follow it. Putting on a label that does not exist yet
 * creates it in the artifact's project; a registry-wide label of that name is used when the project
 * has none of its own. Methods block on the database.
 */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}");

    private final Transactions tx;
    private final Outbox outbox;
    private final Clock clock;

    public Labels(Transactions tx, Outbox outbox, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** {@code name}, when it can be a label's name; INVALID_INPUT saying what a name may hold otherwise. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, (name == null ? "a label name is required"
                    : "'" + name + "' is not a label name") + ": use up to 128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return name;
    }

    /**
     * Puts the label {@code name} on the artifact {@code reference} (a tag or a digest) names in
     * {@code repository}. Idempotent: an artifact that has it already is left as it is, and no event
     * is written. NO_SUCH_RESOURCE for an unknown repository or artifact.
     */
    public LabeledArtifact add(RepositoryName repository, Reference reference, String name, Caller caller) {
        checkName(name);
        return tx.inTransaction(h -> {
            Target target = target(h, repository, reference);
            LabelDao labels = h.attach(LabelDao.class);
            Instant now = clock.instant();
            long labelId = labels.visibleIn(target.projectId(), name)
                    .orElseGet(() -> labels.createInProject(target.projectId(), name, now));
            boolean added = labels.attach(target.artifact().id(), labelId, now) > 0;
            List<String> after = namesOf(h, List.of(target.artifact().id())).getOrDefault(target.artifact().id(),
                    List.of());
            if (added) {
                outbox.append(h, List.of(RegistryEvent.labelAdded(now, repository,
                        Digest.parse(target.artifact().digest()), name, caller)));
            }
            return new LabeledArtifact(repository.value(), target.artifact().digest(), after, added);
        });
    }

    /**
     * Takes the label {@code name} off the artifact {@code reference} names in {@code repository}.
     * NO_SUCH_RESOURCE for an unknown repository or artifact, or an artifact without that label.
     */
    public LabeledArtifact remove(RepositoryName repository, Reference reference, String name, Caller caller) {
        checkName(name);
        return tx.inTransaction(h -> {
            Target target = target(h, repository, reference);
            if (h.attach(LabelDao.class).detach(target.artifact().id(), name) == 0) {
                throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "artifact " + reference + " of repository '"
                        + repository + "' has no label '" + name + "'");
            }
            List<String> after = namesOf(h, List.of(target.artifact().id())).getOrDefault(target.artifact().id(),
                    List.of());
            outbox.append(h, List.of(RegistryEvent.labelRemoved(clock.instant(), repository,
                    Digest.parse(target.artifact().digest()), name, caller)));
            return new LabeledArtifact(repository.value(), target.artifact().digest(), after, true);
        });
    }

    /** The label names (sorted) of each of the artifacts (by id) that has any, in {@code handle}'s work. */
    public static Map<Long, List<String>> namesOf(Handle handle, Collection<Long> artifactIds) {
        Map<Long, List<String>> names = new HashMap<>();
        if (artifactIds.isEmpty()) {
            return names;
        }
        for (LabelDao.ArtifactLabel label : handle.attach(LabelDao.class).labelsOf(artifactIds)) {
            names.computeIfAbsent(label.artifactId(), id -> new ArrayList<>()).add(label.name());
        }
        return names;
    }

    private static Target target(Handle h, RepositoryName repository, Reference reference) {
        long repositoryId = h.attach(RepositoryDao.class).findId(repository.value()).orElseThrow(() ->
                new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no repository '" + repository + "'"));
        ArtifactDao artifacts = h.attach(ArtifactDao.class);
        Optional<ArtifactRow> artifact = reference.isDigest() ? artifacts.byDigest(repositoryId, reference.toString())
                : artifacts.byTag(repositoryId, reference.toString());
        ArtifactRow row = artifact.orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                "there is no artifact " + reference + " in repository '" + repository + "'"));
        long projectId = h.createQuery("SELECT project_id FROM repository WHERE id = :id").bind("id", repositoryId)
                .mapTo(Long.class).one();
        return new Target(row, projectId);
    }

    /** The artifact a change is about, and the project whose labels it may be given. */
    private record Target(ArtifactRow artifact, long projectId) {
    }
}
