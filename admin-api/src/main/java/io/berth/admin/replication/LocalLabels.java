package io.berth.admin.replication;

import io.berth.store.meta.Transactions;
import io.berth.sync.execution.ReplicationEndpoints.LabelLookup;

import java.util.List;

/** The labels an artifact of this Berth carries, read from the database, for a policy's label filters. */
final class LocalLabels implements LabelLookup {
    private final Transactions tx;

    LocalLabels(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<String> labels(String repository, String digest) {
        return tx.withHandle(h -> h.createQuery("SELECT l.name FROM artifact_label al JOIN label l ON l.id ="
                        + " al.label_id JOIN artifact a ON a.id = al.artifact_id JOIN repository r ON r.id ="
                        + " a.repository_id WHERE r.name = :repository AND a.digest = :digest ORDER BY l.name")
                .bind("repository", repository).bind("digest", digest).mapTo(String.class).list());
    }
}
