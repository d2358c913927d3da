package io.berth.admin.health;

import com.codahale.metrics.health.HealthCheck;
import io.berth.store.meta.Transactions;

/** Healthy when the metadata database answers a query. */
public final class DatabaseHealthCheck extends HealthCheck {
    private final Transactions tx;

    public DatabaseHealthCheck(Transactions tx) {
        this.tx = tx;
    }

    @Override
    protected Result check() {
        Integer one = tx.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
        return one == 1 ? Result.healthy() : Result.unhealthy("SELECT 1 returned " + one);
    }
}
