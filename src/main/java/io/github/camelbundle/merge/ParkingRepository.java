package io.github.camelbundle.merge;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.StoreDataSource;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The durable side of the wait: camel-sql's JDBC aggregation repository on its own database (an H2
 * file by default, PostgreSQL when configured), with recovery on, so a released or expired event
 * whose delivery fails is tried again, and one that waited across a crash is still there.
 */
public final class ParkingRepository {

    public static final String NAME = "parked_events";

    private ParkingRepository() {
    }

    public static HikariDataSource dataSource(String url, String username, String password) {
        String vendor = url.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        return StoreDataSource.create("parking", url, username, password, 4, "classpath:db/parking/" + vendor);
    }

    public static JdbcAggregationRepository create(HikariDataSource dataSource, long recoveryIntervalMillis) {
        JdbcTransactionManager tx = new JdbcTransactionManager(dataSource);
        JdbcAggregationRepository repository = dataSource.getJdbcUrl().startsWith("jdbc:postgresql:")
                ? new PostgresAggregationRepository(tx, NAME, dataSource)
                : new JdbcAggregationRepository(tx, NAME, dataSource);
        repository.setUseRecovery(true);
        repository.setRecoveryInterval(recoveryIntervalMillis);
        // the body is the event's JSON text: nothing but JDK types is ever deserialized
        repository.setDeserializationFilter("java.**;org.apache.camel.**;!*");
        return repository;
    }
}
