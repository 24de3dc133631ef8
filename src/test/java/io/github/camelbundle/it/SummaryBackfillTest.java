package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.AnalyticsSummary;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.analytics.SummaryFolder;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.model.Tier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that already holds records when the summary totals arrive (migrations V3, V4): the totals
 * are backfilled from its rows, and the summary then equals the rows, on H2 and on PostgreSQL.
 */
class SummaryBackfillTest {

    @TempDir
    Path data;

    @Test
    void storedRowsAreBackfilledIntoTheSummaryTotalsOnH2() throws Exception {
        upgrade("jdbc:h2:file:" + data.resolve("old") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    @Test
    void storedRowsAreBackfilledIntoTheSummaryTotalsOnPostgres() throws Exception {
        PostgresSupport.requireEmptyDatabase();
        upgrade(PostgresSupport.URL, PostgresSupport.USER, PostgresSupport.PASSWORD);
    }

    private void upgrade(String url, String user, String password) throws Exception {
        // the schema as released before the summary totals, with rows stored by that release
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                .table("analytics_store_schema_history").target("2").load().migrate();
        Instant now = Instant.now();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            insertOldRows(c, now.minusSeconds(7200), 0, 300);  // older than the time windows
            insertOldRows(c, now.minusSeconds(30), 300, 1000);
        }
        try (HikariDataSource ds = StoreDataSource.create(url, user, password, 4)) {
            AnalyticsSummary summary = new AnalyticsSummary(ds, 10);
            JsonNode backfilled = check(ds, summary);
            assertEquals(1000, backfilled.get("records").asLong());
            assertEquals(700, backfilled.get("throughput").get("lastHour").asLong());

            // and the store goes on from there: new records pending, then folded
            AnalyticsStore store = new AnalyticsStore(ds);
            // the records as delivered moved back into their rows (V5): every one still there, unchanged
            assertEquals("old-7", Json.MAPPER.readTree(store.find("old-7").orElseThrow()).get("eventId").asText());
            assertEquals(1000, StoreProbe.count(ds, "SELECT COUNT(*) FROM merged_records WHERE payload LIKE '{%'"));
            List<MergedRecord> more = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (JsonNode r : AnalyticsApiTest.variedBatch("new-", 200, 40)) {
                more.add(Json.MAPPER.treeToValue(r, MergedRecord.class));
                payloads.add(r.toString());
            }
            store.store(more, payloads);
            assertEquals(1200, check(ds, summary).get("records").asLong());
            new SummaryFolder(ds, 1000).fold();
            assertEquals(1200, check(ds, summary).get("records").asLong());
        }
    }

    private static JsonNode check(HikariDataSource ds, AnalyticsSummary summary) throws Exception {
        Instant before = Instant.now();
        JsonNode said = Json.MAPPER.valueToTree(summary.summary());
        SummaryOracle.assertMatchesRows(ds, said, before, Instant.now(), 10);
        return said;
    }

    /** Rows as the V2 schema holds them, written with plain SQL (this release's store also writes deltas). */
    private static void insertOldRows(Connection c, Instant storedAt, int from, int to) throws Exception {
        String sql = "INSERT INTO merged_records (event_id, customer_id, product_id, region, tier, quantity, order_value, "
                + "currency, fulfillable, stock_level, inventory_version, customer_event_time, merged_at, stored_at, "
                + "latency_ms, source_topic, source_partition, source_offset) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql);
             PreparedStatement payload = c.prepareStatement(
                     "INSERT INTO merged_record_payloads (event_id, payload) VALUES (?, ?)")) {
            for (int i = from; i < to; i++) {
                Instant eventTime = storedAt.minusMillis(i * 977L % 40_000);
                MergedRecord r = AnalyticsApiTest.record("old-" + i, "V" + i % 17, i % 2 == 0 ? "EU" : "NA",
                        Tier.values()[i % 4], 1 + i % 6, (i % 50) + ".25", i % 3 == 0 ? "USD" : "EUR", i % 23,
                        i % 5, eventTime);
                int p = 1;
                ps.setString(p++, r.eventId());
                ps.setString(p++, r.customer().customerId());
                ps.setString(p++, r.product().productId());
                ps.setString(p++, r.customer().region().name());
                ps.setString(p++, r.customer().tier().name());
                ps.setInt(p++, r.quantity());
                ps.setBigDecimal(p++, r.orderValue());
                ps.setString(p++, r.product().currency());
                ps.setBoolean(p++, r.fulfillable());
                ps.setInt(p++, r.product().stockLevel());
                ps.setLong(p++, r.inventoryVersion());
                ps.setTimestamp(p++, Timestamp.from(eventTime));
                ps.setTimestamp(p++, Timestamp.from(eventTime));
                ps.setTimestamp(p++, Timestamp.from(storedAt));
                ps.setLong(p++, Math.max(0, storedAt.toEpochMilli() - eventTime.toEpochMilli()));
                ps.setString(p++, "customer-data");
                ps.setInt(p++, 0);
                ps.setLong(p, i);
                ps.addBatch();
                payload.setString(1, r.eventId());
                payload.setString(2, Json.MAPPER.writeValueAsString(r));
                payload.addBatch();
            }
            ps.executeBatch();
            payload.executeBatch();
        }
    }
}
