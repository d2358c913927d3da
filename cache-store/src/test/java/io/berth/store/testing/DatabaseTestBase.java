package io.berth.store.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * Base of contract tests that run once per {@link TestDatabase}: each test gets a fresh, empty
 * database of its kind, dropped afterwards.
 */
public abstract class DatabaseTestBase {
    protected final TestDatabase database;
    protected DataSource dataSource;

    protected DatabaseTestBase(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void createDatabase() {
        dataSource = database.create();
    }

    @AfterEach
    void disposeDatabase() throws SQLException {
        if (dataSource != null) {
            TestDatabase.dispose(dataSource);
        }
    }
}
