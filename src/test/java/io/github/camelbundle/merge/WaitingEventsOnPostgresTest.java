package io.github.camelbundle.merge;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.it.PostgresSupport;

/** The same claims on PostgreSQL, the store several instances share. */
class WaitingEventsOnPostgresTest extends WaitingEventsTest {

    @Override
    HikariDataSource database() throws Exception {
        PostgresSupport.requireEmptyDatabase();
        return StoreDataSource.create("parking", PostgresSupport.URL, PostgresSupport.USER, PostgresSupport.PASSWORD, 2,
                WaitStore.migrations(PostgresSupport.URL));
    }
}
