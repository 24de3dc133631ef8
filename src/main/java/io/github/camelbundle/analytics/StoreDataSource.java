package io.github.camelbundle.analytics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection with its schema brought to the latest migration (Flyway) before first use. */
public final class StoreDataSource {

    private StoreDataSource() {
    }

    /** The analytics store's database (migrations in db/migration). */
    public static HikariDataSource create(String url, String username, String password, int poolSize) {
        return create("analytics-store", url, username, password, poolSize, "classpath:db/migration");
    }

    /**
     * @param migrations Flyway location of the migrations
     */
    public static HikariDataSource create(String poolName, String url, String username, String password, int poolSize,
                                          String migrations) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            // a history table per pool, so the store and the parking lot can share one database; the
            // baseline at version 0 lets the second one start in a schema the first already uses
            Flyway.configure().dataSource(dataSource).locations(migrations)
                    .table(poolName.replace('-', '_') + "_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }
}
