package io.github.camelbundle.merge;

import io.github.camelbundle.model.RecordValidator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the merge's explicit limits (field lengths, version, price), and that the columns and the
 * wait store after the merge hold anything they let through.
 */
class RecordLimitsTest {

    private static CustomerEvent event(String productId, String customerId, String name, String email) {
        return new CustomerEvent("e1", customerId, name, email, Tier.GOLD, Region.EU, productId, 1,
                Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    }

    private static InventoryRecord stock(String productId, String price, long version) {
        return new InventoryRecord(productId, "SKU-1", "Kettle", "Kitchen", new BigDecimal(price), "EUR", 5, "WH-1", version,
                Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    }

    @Test
    void overLongFieldsAreViolationsThatNameTheFieldAndTheLimit() {
        String id = "p".repeat(RecordValidator.ID_CHARS);
        assertNull(RecordValidator.violation(event(id, id, "n".repeat(RecordValidator.NAME_CHARS), "a@example.com")));
        assertEquals("productId: must be 1-64 characters, was 300",
                RecordValidator.violation(event("x".repeat(300), "C1", "Ada", "a@example.com")));
        assertEquals("customerId: must be 1-64 characters, was 65",
                RecordValidator.violation(event("P1", "c".repeat(65), "Ada", "a@example.com")));
        assertEquals("name: must be 1-200 characters, was 300",
                RecordValidator.violation(event("P1", "C1", "n".repeat(300), "a@example.com")));
        assertTrue(RecordValidator.violation(event("P1", "C1", "Ada", "e".repeat(300))).startsWith("email: must be 1-254"));
        assertEquals("productId: must not contain a NUL character",
                RecordValidator.violation(event("P\0", "C1", "Ada", "a@example.com")));
        assertTrue(RecordValidator.violation(stock("y".repeat(300), "1", 1)).startsWith("productId: must be 1-64"));
    }

    @Test
    void aVersionFarAheadWouldFreezeTheProductAndIsRefused() {
        long nowMicros = Instant.now().toEpochMilli() * 1000;
        assertNull(RecordValidator.violation(stock("P1", "1", nowMicros)), "the generator's scheme: epoch microseconds");
        assertNull(RecordValidator.violation(stock("P1", "1", 7)));
        assertTrue(RecordValidator.violation(stock("P1", "1", Long.MAX_VALUE)).startsWith("version: must be 0 - "));
        assertTrue(RecordValidator.violation(stock("P1", "1", nowMicros + 2 * 86_400_000_000L)).startsWith("version:"));
    }

    @Test
    void pricesBeyondTheStoresPrecisionAreRefused() {
        assertNull(RecordValidator.violation(stock("P1", "999999999999999.999999999999", 1)));
        assertTrue(RecordValidator.violation(stock("P1", "1.0000000000001", 1)).startsWith("price: at most 15 digits"));
        assertTrue(RecordValidator.violation(stock("P1", "1e15", 1)).startsWith("price:"));
        assertTrue(RecordValidator.violation(stock("P1", "1e999999999", 1)).startsWith("price:"));
        assertNull(RecordValidator.violation(stock("P1", "1.50000000000000000000", 1)), "trailing zeros are no precision");
    }

    /** The merged record's columns and the wait store's, as migrated, hold the longest valid values. */
    @Test
    void theColumnsHoldTheLongestValidValues() throws Exception {
        try (HikariDataSource store = StoreDataSource.create("limits-store", "jdbc:h2:mem:limits-store", "sa", "", 2,
                "classpath:db/migration");
             HikariDataSource parking = StoreDataSource.create("limits-parking", "jdbc:h2:mem:limits-parking", "sa", "", 2,
                     WaitStore.migrations("jdbc:h2:"))) {
            assertTrue(width(store, "MERGED_RECORDS", "PRODUCT_ID") >= RecordValidator.ID_CHARS);
            assertTrue(width(store, "MERGED_RECORDS", "CUSTOMER_ID") >= RecordValidator.ID_CHARS);
            assertTrue(width(store, "MERGED_RECORDS", "EVENT_ID") >= 64);
            assertTrue(width(store, "SUMMARY_PRODUCTS", "PRODUCT_ID") >= RecordValidator.ID_CHARS);
            // the wait store's key and the event as JSON (at most merge.max-record-bytes, 64 KiB by default)
            assertTrue(width(parking, "MERGE_WAITING", "PRODUCT_ID") >= RecordValidator.ID_CHARS);
            assertTrue(width(parking, "MERGE_WAITING", "EVENT_ID") >= 64);
            assertTrue(width(parking, "MERGE_WAITING", "PAYLOAD") >= 65536);
        }
    }

    private static int width(HikariDataSource db, String table, String column) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
            assertTrue(rs.next(), table + "." + column);
            return rs.getInt("COLUMN_SIZE");
        }
    }
}
