package io.github.camelbundle.it;

import java.util.Map;

/** Every analytics API test again, with the store (and the parking lot) on a real PostgreSQL 15. */
class AnalyticsApiPostgresTest extends AnalyticsApiTest {

    @Override
    protected Map<String, String> storeProperties() throws Exception {
        PostgresSupport.requireEmptyDatabase();
        return Map.of(
                "analytics.datasource.url", PostgresSupport.URL,
                "analytics.datasource.username", PostgresSupport.USER,
                "analytics.datasource.password", PostgresSupport.PASSWORD,
                "merge.parking.datasource.url", PostgresSupport.URL,
                "merge.parking.datasource.username", PostgresSupport.USER,
                "merge.parking.datasource.password", PostgresSupport.PASSWORD);
    }
}
