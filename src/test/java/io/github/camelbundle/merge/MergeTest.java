package io.github.camelbundle.merge;

import io.github.camelbundle.model.RecordValidator;
import io.github.camelbundle.dlq.DeadLetter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.model.Tier;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.github.camelbundle.kafka.poll.Poll;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MergeTest {

    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    private final InventoryTable table = new InventoryTable();
    private final CustomerInventoryJoin join = new CustomerInventoryJoin(table, metrics);
    private static final io.github.camelbundle.dlq.SteeringHeaders STEERING = new io.github.camelbundle.dlq.SteeringHeaders("test-key");
    private final IncomingRecordParser parser = new IncomingRecordParser("customer-data", "inventory-data", 65536, metrics, STEERING);

    static CustomerEvent event(String id, String product, int quantity) {
        return new CustomerEvent(id, "C1", "Ada Lovelace", "ada@example.com", Tier.GOLD, Region.EU, product, quantity,
                Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    }

    static InventoryRecord stock(String product, String price, int level, long version) {
        return new InventoryRecord(product, "SKU-" + product, "Kettle", "Kitchen", new BigDecimal(price), "EUR", level,
                "WH-1", version, Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    }

    private static PendingEvent pending(CustomerEvent e, long offset) {
        return new PendingEvent(e, new SourceRef("customer-data", 0, offset));
    }

    @Test
    void mergedRecordHasExactOrderValueAndFulfillabilityFromTheStockUsed() {
        MergeBatch batch = new MergeBatch();
        batch.inventory().add(stock("P1", "19.99", 3, 1));
        batch.customerEvents().add(pending(event("e1", "P1", 3), 0));
        batch.customerEvents().add(pending(event("e2", "P1", 4), 1));
        join.join(batch);
        assertEquals(2, batch.merged().size());
        MergedRecord first = batch.merged().get(0);
        assertEquals(0, new BigDecimal("59.97").compareTo(first.orderValue()));
        assertTrue(first.fulfillable());
        assertFalse(batch.merged().get(1).fulfillable(), "4 wanted, 3 in stock");
        assertEquals("EUR", first.product().currency());
        assertEquals(1L, first.inventoryVersion());
        assertEquals(null, RecordValidator.violation(first));
    }

    @Test
    void olderOrEqualInventoryVersionsAreIgnored() {
        assertTrue(table.apply(stock("P1", "1.00", 10, 5)));
        assertFalse(table.apply(stock("P1", "1.00", 99, 4)), "older");
        assertFalse(table.apply(stock("P1", "1.00", 99, 5)), "equal");
        assertEquals(10, table.get("P1").stockLevel());
        assertTrue(table.apply(stock("P1", "1.00", 7, 6)));
        assertEquals(7, table.get("P1").stockLevel());
    }

    /**
     * The consumer may have fetched inventory before the join has applied it: the table says which
     * offsets it holds, and an event may conclude its inventory never came only once the table holds
     * everything the inventory topic had (InventoryReadToItsEnd).
     */
    @Test
    void theTableHoldsInventoryOnlyOnceTheJoinHasTakenItIn() throws Exception {
        TopicPartition inventory1 = new TopicPartition("inventory-data", 1);
        assertTrue(table.holds(Map.of()), "nothing handed out, nothing to hold");
        assertFalse(table.holds(Map.of(inventory1, 4L)), "fetched, not joined yet");

        byte[] stock = Json.MAPPER.writeValueAsBytes(stock("PH", "1.00", 3, 1));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (long offset = 0; offset <= 4; offset++) {
            records.add(kafkaRecord("inventory-data", offset, stock));
        }
        join.join(parser.parse(new Poll(records, null)));
        assertTrue(table.holds(Map.of(inventory1, 4L)));
        assertFalse(table.holds(Map.of(inventory1, 5L)));
        assertFalse(table.holds(Map.of(inventory1, 4L, new TopicPartition("inventory-data", 0), 0L)));
    }


    @Test
    void anInventoryTombstoneRemovesTheProductAndIsNoDeadLetter() throws Exception {
        table.apply(stock("P1", "1.00", 5, 1));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(kafkaRecord("inventory-data", 0, Json.MAPPER.writeValueAsBytes(stock("P1", "1.00", 5, 2))));
        records.add(kafkaRecord("inventory-data", 1, null));
        records.add(kafkaRecord("customer-data", 2, Json.MAPPER.writeValueAsBytes(event("after-delete", "P1", 1))));
        MergeBatch batch = join.join(parser.parse(new Poll(records, null)));
        assertTrue(batch.deadLetters().isEmpty(), "a tombstone is how a compacted table deletes");
        assertNull(table.get("P1"), "the tombstone is the product's last record: gone");
        assertEquals("after-delete", batch.waiting().get(0).event().eventId(), "its events wait again");

        // an update after the tombstone brings it back, whatever version the product had before
        table.apply(stock("P1", "1.00", 9, 7));
        records.clear();
        records.add(kafkaRecord("inventory-data", 3, null));
        records.add(kafkaRecord("inventory-data", 4, Json.MAPPER.writeValueAsBytes(stock("P1", "1.00", 5, 1))));
        join.join(parser.parse(new Poll(records, null)));
        assertEquals(5, table.get("P1").stockLevel());
        // a tombstone on the customer topic is still a bad record
        assertEquals(DeadLetter.INVALID_JSON, onlyDeadLetter("customer-data", (byte[]) null).reason());
    }

    private static ConsumerRecord<String, byte[]> kafkaRecord(String topic, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, 1, offset, "P1", value);
    }

    private DeadLetter onlyDeadLetter(String topic, String json) {
        return onlyDeadLetter(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    private DeadLetter onlyDeadLetter(String topic, byte[] value) {
        MergeBatch batch = parser.parse(Poll.of(kafkaRecord(topic, 11, value)));
        assertEquals(1, batch.deadLetters().size(), "exactly one dead letter");
        DeadLetter d = batch.deadLetters().get(0);
        assertEquals(topic, d.sourceTopic());
        assertEquals(1, d.sourcePartition());
        assertEquals(11, d.sourceOffset());
        return d;
    }

    @Test
    void badRecordsBecomeDeadLettersWithReasonAndField() throws Exception {
        String valid = new String(Json.MAPPER.writeValueAsBytes(event("e1", "P1", 2)), StandardCharsets.UTF_8);

        assertEquals(DeadLetter.INVALID_JSON, onlyDeadLetter("customer-data", "{not json").reason());
        assertEquals(DeadLetter.INVALID_JSON, onlyDeadLetter("customer-data", new byte[] {(byte) 0xC3, 0x28}).reason());
        assertEquals(DeadLetter.INVALID_JSON, onlyDeadLetter("customer-data", new byte[0]).reason());

        DeadLetter wrongType = onlyDeadLetter("customer-data", valid.replace("\"quantity\":2", "\"quantity\":\"two\""));
        assertEquals(DeadLetter.SCHEMA_VIOLATION, wrongType.reason());
        assertTrue(wrongType.errorMessage().startsWith("quantity: must be an integer"), wrongType.errorMessage());

        DeadLetter outOfRange = onlyDeadLetter("customer-data", valid.replace("\"quantity\":2", "\"quantity\":0"));
        assertEquals("quantity: must be an integer 1-1000, was 0", outOfRange.errorMessage());

        DeadLetter missing = onlyDeadLetter("customer-data", valid.replace("\"email\":\"ada@example.com\",", ""));
        assertEquals("email: required", missing.errorMessage());

        DeadLetter tier = onlyDeadLetter("customer-data", valid.replace("GOLD", "TIN"));
        assertTrue(tier.errorMessage().startsWith("tier: must be one of BRONZE|SILVER|GOLD|PLATINUM"), tier.errorMessage());

        DeadLetter array = onlyDeadLetter("customer-data", "[1,2]");
        assertEquals(DeadLetter.SCHEMA_VIOLATION, array.reason());

        byte[] big = new byte[70_000];
        java.util.Arrays.fill(big, (byte) ' ');
        DeadLetter oversized = onlyDeadLetter("customer-data", big);
        assertEquals(DeadLetter.OVERSIZED, oversized.reason());
        assertEquals(70_000, oversized.payload().length, "the original bytes are kept");

        DeadLetter price = onlyDeadLetter("inventory-data", new String(Json.MAPPER.writeValueAsBytes(
                stock("P1", "-1", 1, 1)), StandardCharsets.UTF_8));
        assertEquals("price: must be >= 0, was -1", price.errorMessage());
    }

    @Test
    void unknownFieldsAreKeptThroughTheMerge() throws Exception {
        byte[] value = "{\"eventId\":\"x1\",\"customerId\":\"C1\",\"name\":\"A\",\"email\":\"a@example.com\",\"tier\":\"GOLD\",\"region\":\"EU\",\"productId\":\"P1\",\"quantity\":1,\"eventTime\":\"2026-01-01T00:00:00Z\",\"campaign\":\"spring\"}"
                .getBytes(StandardCharsets.UTF_8);
        MergeBatch batch = parser.parse(Poll.of(kafkaRecord("customer-data", 1, value)));
        assertTrue(batch.deadLetters().isEmpty());
        batch.inventory().add(stock("P1", "1.00", 1, 1));
        join.join(batch);
        String merged = Json.MAPPER.writeValueAsString(batch.merged().get(0));
        assertTrue(merged.contains("\"campaign\":\"spring\""), merged);
    }

    @Test
    void aBatchWithPoisonStillCarriesItsValidRecords() throws Exception {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(kafkaRecord("inventory-data", 0, Json.MAPPER.writeValueAsBytes(stock("P1", "1.00", 5, 1))));
        records.add(kafkaRecord("customer-data", 1, "garbage".getBytes(StandardCharsets.UTF_8)));
        records.add(kafkaRecord("customer-data", 2, Json.MAPPER.writeValueAsBytes(event("ok", "P1", 1))));
        MergeBatch batch = join.join(parser.parse(new Poll(records, null)));
        assertEquals(1, batch.deadLetters().size());
        assertEquals(1, batch.merged().size());
        assertEquals(3, batch.recordCount());
    }
}
