package io.berth.sync.trigger;

import io.berth.store.event.RegistryEvent;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.execution.ReplicationEndpoints.LabelLookup;
import io.berth.sync.filter.Filters;
import io.berth.sync.policy.ReplicationPolicy;

import java.util.Optional;

/**
 * What an event at this Berth asks of one event-based push policy, if anything:
 * <ul>
 *   <li>{@code PUSHED} with a tag: copy it, when the name, tag and label filters pass. A push by
 *       digest only (an index's children, a referrer) asks nothing: it comes with its tagged parent
 *       or subject, or with the reconcile.</li>
 *   <li>{@code TAG_DELETED}: delete that tag at the destination, and {@code DELETED}: delete that
 *       artifact, only when the policy replicates deletions and the name (and tag) filters pass.
 *       Label filters are not asked: a deleted artifact's labels are gone with it, and deleting
 *       what the destination never received changes nothing there.</li>
 *   <li>{@code LABEL_ADDED}: copy the artifact (by digest), when the policy has label filters and
 *       the artifact's labels now pass them.</li>
 *   <li>{@code LABEL_REMOVED}: nothing. An artifact that no longer passes a label filter stays at
 *       the destination, as in Harbor: only a deletion at the source removes something there.</li>
 * </ul>
 */
final class EventChanges {
    private EventChanges() {
    }

    /** The change {@code event} asks of {@code policy} (with its compiled {@code filters}), if any. */
    static Optional<Change> of(RegistryEvent event, ReplicationPolicy policy, Filters filters, LabelLookup labels) {
        String repository = event.repository();
        if (!filters.repositoryPasses(repository)) {
            return Optional.empty();
        }
        return switch (event.type()) {
            case PUSHED -> event.tag() != null && filters.tagPasses(event.tag())
                    && (!filters.needsLabels() || filters.labelsPass(labels.labels(repository, event.digest())))
                    ? change(Kind.COPY, event, event.tag()) : Optional.empty();
            case TAG_DELETED -> policy.replicateDeletion() && event.tag() != null && filters.tagPasses(event.tag())
                    ? change(Kind.DELETE, event, event.tag()) : Optional.empty();
            case DELETED -> policy.replicateDeletion() && event.digest() != null
                    ? change(Kind.DELETE, event, null) : Optional.empty();
            case LABEL_ADDED -> filters.needsLabels() && event.digest() != null
                    && filters.labelsPass(labels.labels(repository, event.digest()))
                    ? change(Kind.COPY, event, null) : Optional.empty();
            case LABEL_REMOVED, PULLED -> Optional.empty();
        };
    }

    private static Optional<Change> change(Kind kind, RegistryEvent event, String tag) {
        return Optional.of(new Change(kind, event.repository(), tag, event.digest(), event.id()));
    }
}
