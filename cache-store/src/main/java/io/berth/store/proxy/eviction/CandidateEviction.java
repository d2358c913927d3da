package io.berth.store.proxy.eviction;

import io.berth.store.meta.Transactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes one {@link EvictionPlan} candidate in one short transaction, checking again what the
 * plan read outside it: the artifacts it removes are locked first (as a proxy recording the same
 * manifest, a pin and a pull's timestamp lock them), and a unit is left alone when it is gone,
 * pinned, held by an index now, or used since it was planned. Its tags and references go with the
 * artifacts; its blobs' links go when no remaining artifact of the repository references them.
 */
final class CandidateEviction {
    /**
     * What one candidate's eviction removed from which repository, and the digests whose blob rows
     * may now be unused (its manifests' and the blobs it unlinked).
     */
    record Removed(String repository, int artifacts, int links, long bytes, Set<String> released) {
    }

    private final Transactions tx;

    CandidateEviction(Transactions tx) {
        this.tx = tx;
    }

    Optional<Removed> evict(long projectId, EvictionPlan.Candidate candidate) {
        return switch (candidate) {
            case EvictionPlan.Unit unit -> tx.inTransaction(h -> evictUnit(h.attach(EvictionDao.class), projectId,
                    unit));
            case EvictionPlan.Orphan orphan -> tx.inTransaction(h -> evictOrphan(h.attach(EvictionDao.class),
                    projectId, orphan));
        };
    }

    private static Optional<Removed> evictUnit(EvictionDao dao, long projectId, EvictionPlan.Unit unit) {
        long repositoryId = unit.repositoryId();
        Optional<EvictionDao.CachedArtifact> root = dao.lock(unit.rootId());
        if (root.isEmpty() || root.get().pinned()
                || dao.hasParentBesides(repositoryId, root.get().digest(), List.of(unit.rootId()))) {
            return Optional.empty();
        }
        List<EvictionDao.CachedArtifact> members = members(dao, repositoryId, root.get());
        for (EvictionDao.CachedArtifact member : members) {
            if (member.lastUsed().isAfter(unit.lastUsed())) {
                return Optional.empty(); // pulled since it was planned: no longer the least recently used
            }
        }
        List<Long> ids = members.stream().map(EvictionDao.CachedArtifact::id).toList();
        Set<String> blobs = new TreeSet<>(dao.blobsOf(ids));
        dao.deleteArtifacts(ids);
        Set<String> unreferenced = new TreeSet<>(blobs);
        if (!blobs.isEmpty()) {
            unreferenced.removeAll(dao.referencedIn(repositoryId, blobs));
        }
        int links = unreferenced.isEmpty() ? 0 : dao.unlink(repositoryId, unreferenced);
        Set<String> affected = new TreeSet<>(unreferenced);
        members.forEach(m -> affected.add(m.digest()));
        return Optional.of(new Removed(dao.repositoryName(repositoryId), ids.size(), links,
                bytesNoLongerHeld(dao, projectId, affected), affected));
    }

    /**
     * The unit's artifacts, locked: the root, and the children (recursively) that are not pinned or
     * tagged and that no artifact outside the unit lists.
     */
    private static List<EvictionDao.CachedArtifact> members(EvictionDao dao, long repositoryId,
                                                            EvictionDao.CachedArtifact root) {
        List<EvictionDao.CachedArtifact> members = new ArrayList<>(List.of(root));
        Set<Long> ids = new LinkedHashSet<>(List.of(root.id()));
        Set<Long> frontier = Set.of(root.id());
        while (!frontier.isEmpty()) {
            Set<Long> next = new HashSet<>();
            for (long childId : new TreeSet<>(dao.childrenOf(repositoryId, frontier))) {
                if (ids.contains(childId)) {
                    continue;
                }
                Optional<EvictionDao.CachedArtifact> child = dao.lock(childId);
                if (child.isEmpty() || child.get().pinned() || child.get().tagged()) {
                    continue;
                }
                Set<Long> with = new HashSet<>(ids);
                with.add(childId);
                if (!dao.hasParentBesides(repositoryId, child.get().digest(), with)) {
                    members.add(child.get());
                    ids.add(childId);
                    next.add(childId);
                }
            }
            frontier = next;
        }
        return members;
    }

    private static Optional<Removed> evictOrphan(EvictionDao dao, long projectId, EvictionPlan.Orphan orphan) {
        if (dao.unlinkOrphan(orphan.repositoryId(), orphan.digest()) == 0) {
            return Optional.empty();
        }
        Set<String> affected = Set.of(orphan.digest());
        return Optional.of(new Removed(dao.repositoryName(orphan.repositoryId()), 0, 1,
                bytesNoLongerHeld(dao, projectId, affected), affected));
    }

    /** The bytes of those digests that the project holds no more (see {@link CacheUsage}). */
    private static long bytesNoLongerHeld(EvictionDao dao, long projectId, Collection<String> digests) {
        Set<String> gone = new TreeSet<>(digests);
        gone.removeAll(dao.heldBy(projectId, digests));
        if (gone.isEmpty()) {
            return 0;
        }
        Map<String, Long> sizes = dao.sizes(gone);
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
