package io.berth.sync.execution;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.filter.Filters;
import io.berth.sync.policy.ReplicationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plans a run of changes (an event-based {@link ExecutionScope}): one task per artifact reference
 * the changes name, the last change of a reference winning (a push then a delete of one tag is one
 * delete), in the order of those last changes.
 * <ul>
 *   <li>A {@link Kind#COPY COPY} is planned when the policy's filters still pass it: the name
 *       filters the repository, the tag filters its tag (an untagged artifact when they pass the
 *       empty tag, as in a full run), and the label filters the labels the artifact carries now. One
 *       the source no longer has is left out (a later deletion event covers it).</li>
 *   <li>A {@link Kind#DELETE DELETE} is planned only when the policy replicates deletions, for a
 *       repository its name filters pass and a tag its tag filters pass. Label filters are not
 *       applied to deletions: the labels went with the artifact. A deletion by digest is planned
 *       whatever the tag filters say (its tags are not known any more);
 *       {@link io.berth.sync.copy.ArtifactDeleter} deletes only what the source no longer has.</li>
 * </ul>
 * Blocks on the network (one {@code HEAD} per copied reference).
 */
final class ScopedPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ScopedPlanner.class);

    private final ReplicationPolicy policy;
    private final Filters filters;
    private final ReplicationEndpoints.Side source;

    ScopedPlanner(ReplicationPolicy policy, ReplicationEndpoints.Side source) {
        this.policy = policy;
        this.filters = policy.selection();
        this.source = source;
    }

    /** Hands each task to {@code planned}. */
    void plan(List<Change> changes, Consumer<PlannedTask> planned) throws UpstreamException {
        for (Change change : latestPerReference(changes)) {
            Optional<PlannedTask> task = change.kind() == Kind.COPY ? copy(change) : delete(change);
            if (task.isPresent()) {
                planned.accept(task.get());
            }
        }
    }

    private Optional<PlannedTask> copy(Change change) throws UpstreamException {
        String reference = reference(change);
        if (!filters.repositoryPasses(change.repository())
                || !(change.tag() == null ? filters.untaggedPasses() : filters.tagPasses(change.tag()))) {
            return Optional.empty();
        }
        if (filters.needsLabels() && source.labels() == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the policy filters by label, but its source '"
                    + source.name() + "' is another registry: labels are Berth's own, so remove the label filter or"
                    + " replicate from this Berth");
        }
        Optional<Upstream.ManifestHead> head = source.reader().headManifest(change.repository(), reference);
        if (head.isEmpty()) {
            LOG.debug("{}:{} is gone from the source since event {}: not copied", change.repository(), reference,
                    change.eventId());
            return Optional.empty();
        }
        String digest = head.get().digest().toString();
        if (filters.needsLabels() && !filters.labelsPass(source.labels().labels(change.repository(), digest))) {
            return Optional.empty();
        }
        return Optional.of(new PlannedTask(change.repository(), reference, policy.destinationName(change.repository()),
                reference, digest, TaskOperation.COPY));
    }

    private Optional<PlannedTask> delete(Change change) {
        if (!policy.replicateDeletion() || !filters.repositoryPasses(change.repository())
                || change.tag() != null && !filters.tagPasses(change.tag())) {
            return Optional.empty();
        }
        String reference = reference(change);
        return Optional.of(new PlannedTask(change.repository(), reference, policy.destinationName(change.repository()),
                reference, change.digest(), TaskOperation.DELETE));
    }

    /** The tag a change names, or its digest when it names none. */
    private static String reference(Change change) {
        return change.tag() != null ? change.tag() : change.digest();
    }

    /** The last change of each (repository, reference), in the order of those last changes. */
    static List<Change> latestPerReference(List<Change> changes) {
        Map<String, Change> latest = new LinkedHashMap<>();
        for (Change change : changes) {
            String key = change.repository() + "\u0000" + reference(change);
            latest.remove(key);
            latest.put(key, change);
        }
        return List.copyOf(latest.values());
    }
}
