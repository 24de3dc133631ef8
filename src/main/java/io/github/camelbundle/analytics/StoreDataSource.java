package io.github.camelbundle.analytics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection with its schema brought to the latest migration (Flyway) before first use. */
public final class StoreDataSource {

    private StoreDataSource() {
    }

    /**
     * H2 writes commits to its file up to a second later by default, so a kill -9 loses records the API
     * has acknowledged (and whose Kafka offsets are then committed): found by the fault suite. Unless the
     * URL says otherwise, an H2 file database flushes on every commit (its cost: docs/benchmarks.md). Chunks younger than RETENTION_TIME are neither re-written nor reused: at
     * H2's 45 s the compaction steps (H2FileCompaction) cannot keep a busy file bounded; 5 s can
     * (docs/exactness.md, section 5).
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return url;
        }
        String upper = url.toUpperCase();
        String durable = upper.contains("WRITE_DELAY") ? url : url + ";WRITE_DELAY=0";
        return upper.contains("RETENTION_TIME") ? durable : durable + ";RETENTION_TIME=" + RETENTION_MILLIS;
    }

    /** H2's RETENTION_TIME for a file store, unless its URL sets one. */
    static final int RETENTION_MILLIS = 5000;

    /** The analytics store's database (migrations in db/migration). */
    public static HikariDataSource create(String url, String username, String password, int poolSize) {
        return create("analytics-store", url, username, password, poolSize, "classpath:db/migration");
    }

    /**
     * @param migrations Flyway locations of the migrations, comma-separated
     */
    public static HikariDataSource create(String poolName, String url, String username, String password, int poolSize,
                                          String migrations) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(durable(url));
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException(startupHint(poolName, url, e), e);
        }
        try {
            // a history table per pool, so the store and the parking lot can share one database; the
            // baseline at version 0 lets the second one start in a schema the first already uses
            Flyway.configure().dataSource(dataSource).locations(migrations.split(","))
                    .table(poolName.replace('-', '_') + "_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new IllegalStateException(startupHint(poolName, url, e), e);
        }
        return dataSource;
    }

    /**
     * One line: which store failed its start-up checks, why, and what to do about it. The URL is shown
     * without its parameters (they may hold credentials).
     */
    static String startupHint(String poolName, String url, Throwable failure) {
        String key = poolName.equals("parking") ? "merge.parking.datasource" : "analytics.datasource";
        String where = url.split("[;?]")[0];
        StringBuilder causes = new StringBuilder();
        String sqlState = null;
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            causes.append(' ').append(t.getMessage());
            if (sqlState == null && t instanceof java.sql.SQLException sql) {
                sqlState = sql.getSQLState();
            }
        }
        String all = causes.toString();
        String todo;
        if (all.contains("90020") || all.contains("already in use") || all.contains("locked")) {
            todo = "the file is open in another process: stop it (or another bundle using the same data/ directory), "
                    + "or set " + key + ".url to another file";
        } else if (all.contains("90030") || all.contains("corrupted") || all.contains("90048") || all.contains("format")) {
            todo = "the file is damaged or not an H2 2.x database: restore it from a backup, or move it away to start "
                    + "with an empty store (its records are then gone)";
        } else if (all.contains("Validate failed") || all.contains("checksum") || all.contains("newer than")) {
            todo = "its schema history does not match this release's migrations: run the release that wrote it, or "
                    + "restore a backup made with this one";
        } else if ("28P01".equals(sqlState) || "28000".equals(sqlState) || all.contains("password")) {
            todo = "the database refused the credentials: check " + key + ".username and the password's environment "
                    + "variable (ANALYTICS_DATASOURCE_PASSWORD for the analytics store)";
        } else if (sqlState != null && sqlState.startsWith("08")) {
            todo = "the database does not answer: start it, or correct " + key + ".url";
        } else {
            todo = "fix the database or " + key + ".url, then start again";
        }
        String cause = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        cause = cause.length() <= 200 ? cause : cause.substring(0, 200) + "...";
        return ("The " + poolName + " store at " + where + " failed its start-up checks (" + cause + "): " + todo + ".")
                .replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
