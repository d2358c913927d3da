package io.berth.store.gc;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The blob rows and tombstones {@link BlobReclaimer} works on. */
interface ReclaimDao {
    /** The blob's size, its row locked until the transaction ends; empty when there is no row. */
    @SqlQuery("SELECT size FROM blob WHERE digest = :digest FOR UPDATE")
    Optional<Long> lockSize(@Bind("digest") String digest);

    /** Whether any repository links the blob, any artifact is it, or any artifact references it. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM repository_blob WHERE digest = :digest)"
            + " OR EXISTS (SELECT 1 FROM artifact WHERE digest = :digest)"
            + " OR EXISTS (SELECT 1 FROM artifact_reference WHERE digest = :digest)")
    boolean referenced(@Bind("digest") String digest);

    @SqlUpdate("DELETE FROM blob WHERE digest = :digest")
    int deleteRow(@Bind("digest") String digest);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM blob WHERE digest = :digest)")
    boolean rowExists(@Bind("digest") String digest);

    /** Notes that the blob's row was deleted at {@code now}; a tombstone already there starts again. */
    @SqlUpdate("MERGE INTO blob_tombstone t USING (VALUES (CAST(:digest AS VARCHAR(140)))) AS s(digest)"
            + " ON t.digest = s.digest WHEN MATCHED THEN UPDATE SET deleted_at = :now"
            + " WHEN NOT MATCHED THEN INSERT (digest, deleted_at) VALUES (s.digest, :now)")
    void tombstone(@Bind("digest") String digest, @Bind("now") Instant now);

    /** Tombstones from before {@code cutoff}, by digest after {@code after} ("" for the start). */
    @SqlQuery("SELECT digest FROM blob_tombstone WHERE deleted_at < :cutoff AND digest > :after"
            + " ORDER BY digest LIMIT :limit")
    List<String> tombstonesBefore(@Bind("cutoff") Instant cutoff, @Bind("after") String after,
                                  @Bind("limit") int limit);

    /** Removes a tombstone from before {@code cutoff}; one written again since (released again) stays. */
    @SqlUpdate("DELETE FROM blob_tombstone WHERE digest = :digest AND deleted_at < :cutoff")
    void forget(@Bind("digest") String digest, @Bind("cutoff") Instant cutoff);

    @SqlQuery("SELECT COUNT(*) FROM blob_tombstone")
    long tombstones();
}
