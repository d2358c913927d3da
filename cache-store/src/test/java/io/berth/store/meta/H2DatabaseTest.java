package io.berth.store.meta;

import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link Database} sets up on the embedded H2 database only. */
class H2DatabaseTest extends DatabaseTestBase {
    H2DatabaseTest() {
        super(TestDatabase.H2);
    }

    @Test
    void open_writesCommitsAtOnceWhateverTheUrlSays() {
        Jdbi jdbi = Database.open(dataSource);

        assertEquals("0", jdbi.withHandle(h -> h.createQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                .mapTo(String.class).one()));
    }
}
