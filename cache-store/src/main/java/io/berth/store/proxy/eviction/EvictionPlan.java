package io.berth.store.proxy.eviction;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What eviction may remove from one proxy project, least recently used first. A candidate is
 * either a <em>unit</em>, an artifact that no index of its repository holds, together with the
 * children that go with it, or an <em>orphan</em>, a blob link that no artifact of its repository
 * references (left by a fill whose manifest was evicted meanwhile).
 *
 * <ul>
 *   <li>A pinned artifact is no candidate, and neither is any child of an index that stays.</li>
 *   <li>A child goes with its index when nothing else keeps it: it is not pinned, has no tag, and
 *       every index of its repository that lists it goes too (nested indexes likewise).</li>
 *   <li>A unit was last used when its most recently used member was (a pull of one platform's
 *       image keeps its index), an artifact when it was last pulled, or pushed if never pulled;
 *       an orphan when it was linked.</li>
 * </ul>
 * The plan is read outside any transaction; each candidate is checked again when it is evicted.
 */
final class EvictionPlan {
    private EvictionPlan() {
    }

    /** Something eviction may remove, and when it was last used. */
    sealed interface Candidate permits Unit, Orphan {
        Instant lastUsed();
    }

    /** An artifact no index of its repository holds, and (in {@link #lastUsed}) the children that go with it. */
    record Unit(long repositoryId, long rootId, Instant lastUsed) implements Candidate {
    }

    /** A link no artifact of its repository references. */
    record Orphan(long repositoryId, String digest, Instant lastUsed) implements Candidate {
    }

    static List<Candidate> of(List<EvictionDao.CachedArtifact> artifacts, List<EvictionDao.ChildLink> links,
                              List<EvictionDao.OrphanLink> orphans) {
        Map<Long, EvictionDao.CachedArtifact> byId = new HashMap<>();
        artifacts.forEach(a -> byId.put(a.id(), a));
        Map<Long, Set<Long>> children = new HashMap<>();
        Map<Long, Set<Long>> parents = new HashMap<>();
        for (EvictionDao.ChildLink link : links) {
            if (byId.containsKey(link.parentId()) && byId.containsKey(link.childId())
                    && link.parentId() != link.childId()) {
                children.computeIfAbsent(link.parentId(), k -> new HashSet<>()).add(link.childId());
                parents.computeIfAbsent(link.childId(), k -> new HashSet<>()).add(link.parentId());
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (EvictionDao.CachedArtifact artifact : artifacts) {
            if (artifact.pinned() || parents.containsKey(artifact.id())) {
                continue;
            }
            Instant lastUsed = artifact.lastUsed();
            for (long member : members(artifact.id(), byId, children, parents)) {
                Instant used = byId.get(member).lastUsed();
                if (used.isAfter(lastUsed)) {
                    lastUsed = used;
                }
            }
            candidates.add(new Unit(artifact.repositoryId(), artifact.id(), lastUsed));
        }
        orphans.forEach(o -> candidates.add(new Orphan(o.repositoryId(), o.digest(), o.linkedAt())));
        candidates.sort(Comparator.comparing(Candidate::lastUsed).thenComparing(EvictionPlan::order));
        return candidates;
    }

    /** The root and the children that go with it, by the rules above. */
    static Set<Long> members(long root, Map<Long, EvictionDao.CachedArtifact> byId, Map<Long, Set<Long>> children,
                             Map<Long, Set<Long>> parents) {
        Set<Long> members = new HashSet<>(List.of(root));
        Deque<Long> frontier = new ArrayDeque<>(members);
        boolean grew = true;
        while (grew) {
            grew = false;
            while (!frontier.isEmpty()) {
                for (long child : children.getOrDefault(frontier.pop(), Set.of())) {
                    EvictionDao.CachedArtifact c = byId.get(child);
                    if (!members.contains(child) && !c.pinned() && !c.tagged()
                            && members.containsAll(parents.getOrDefault(child, Set.of()))) {
                        members.add(child);
                        frontier.add(child);
                        grew = true;
                    }
                }
            }
            if (grew) {
                frontier.addAll(members); // a child whose last other parent just joined may join now
            }
        }
        return members;
    }

    /** A stable order among candidates last used at the same time. */
    private static String order(Candidate candidate) {
        return switch (candidate) {
            case Unit u -> "u" + u.repositoryId() + ":" + String.format("%019d", u.rootId());
            case Orphan o -> "o" + o.repositoryId() + ":" + o.digest();
        };
    }
}
