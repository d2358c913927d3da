package io.berth.store.meta;

import io.berth.store.testing.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseTest {
    @Test
    void openOnH2_writesCommitsAtOnceWhateverTheUrlSays() {
        Jdbi jdbi = Database.open(TestDatabases.h2());
        String delay = jdbi.withHandle(h -> h.createQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                .mapTo(String.class).one());
        assertEquals("0", delay);
    }
}
