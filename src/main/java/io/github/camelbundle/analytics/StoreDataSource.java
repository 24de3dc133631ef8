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
            Flyway.configure().dataSource(dataSource).locations(migrations).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }
}
