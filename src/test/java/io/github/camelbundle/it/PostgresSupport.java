package io.github.camelbundle.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL 15 server the store tests also run against. .ci/run installs and starts it and
 * exports ANALYTICS_TEST_PG_URL / _USER / _PASSWORD; without them the PostgreSQL tests fail under CI
 * and are skipped on a developer machine.
 */
public final class PostgresSupport {

    public static final String URL = System.getenv("ANALYTICS_TEST_PG_URL");
    public static final String USER = System.getenv().getOrDefault("ANALYTICS_TEST_PG_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("ANALYTICS_TEST_PG_PASSWORD", "");

    private PostgresSupport() {
    }

    /** Skips (or under CI fails) without a server, then empties its public schema. */
    public static void requireEmptyDatabase() throws Exception {
        if (URL == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI must provide PostgreSQL: ANALYTICS_TEST_PG_URL is not set (see .ci/run)");
            }
            Assumptions.abort("no PostgreSQL: set ANALYTICS_TEST_PG_URL (and _USER, _PASSWORD) to run these tests");
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }
}
