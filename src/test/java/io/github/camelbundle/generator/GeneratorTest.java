package io.github.camelbundle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.model.RecordValidator;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Exchange exchange = new DefaultExchange(context);

    @Test
    void paceFollowsTheRateAndNeverExceedsTheLimit() {
        long start = 0;
        RatePacer pacer = new RatePacer(5, 1000, 0, start);
        // 5/s: 2 due after 0.5 s, 5 after 1 s, 50 after 10 s
        assertEquals(2, pacer.due(start + TimeUnit.MILLISECONDS.toNanos(500)));
        pacer.emitted(2);
        assertEquals(3, pacer.due(start + TimeUnit.SECONDS.toNanos(1)));
        pacer.emitted(3);
        assertEquals(45, pacer.due(start + TimeUnit.SECONDS.toNanos(10)));

        RatePacer limited = new RatePacer(0, 300, 1000, start);
        int total = 0;
        for (int tick = 0; tick < 10; tick++) {
            int due = limited.due(start);
            assertTrue(due <= 300, "a tick never carries more than max-per-tick");
            limited.emitted(due);
            total += due;
        }
        assertEquals(1000, total);
        assertTrue(limited.exhausted());
    }

    @Test
    void rateOfSeedDefaultsGivesThreeHundredPerMinute() {
        RatePacer pacer = new RatePacer(5, 2000, 0, 0);
        assertEquals(300, pacer.due(TimeUnit.MINUTES.toNanos(1)));
        RatePacer inventory = new RatePacer(3.35, 2000, 0, 0);
        assertEquals(201, inventory.due(TimeUnit.MINUTES.toNanos(1)));
    }

    @Test
    void customerIdsAreZeroPaddedToSevenDigitsLikeTheFormatTheyReplace() {
        for (int n : new int[] {1, 9, 10, 42, 999_999, 1_000_000, 9_999_999, 10_000_000, 123_456_789}) {
            assertEquals(String.format("C%07d", n), CustomerEventGenerator.customerId(n));
        }
    }

    @Test
    void catalogIsTheSameForTheSameSeed() {
        ProductCatalog a = new ProductCatalog(500, 42);
        ProductCatalog b = new ProductCatalog(500, 42);
        for (int i = 0; i < 500; i++) {
            assertEquals(a.get(i), b.get(i));
        }
    }

    @Test
    void customerEventsAreValidAndNameCatalogProductsAsTheirKey() throws Exception {
        ProductCatalog catalog = new ProductCatalog(200, 7);
        Set<String> productIds = new HashSet<>();
        for (int i = 0; i < catalog.size(); i++) {
            productIds.add(catalog.get(i).productId());
        }
        CustomerEventGenerator generator = new CustomerEventGenerator(catalog, 0, 1000, 3000, 100);
        Set<String> eventIds = new HashSet<>();
        int total = 0;
        List<Message> batch;
        while (!(batch = generator.nextBatch(exchange)).isEmpty()) {
            for (Message m : batch) {
                CustomerEvent e = Json.MAPPER.readValue(m.getBody(byte[].class), CustomerEvent.class);
                assertEquals(null, RecordValidator.violation(e), "generated events satisfy the contract");
                assertTrue(productIds.contains(e.productId()));
                assertEquals(e.productId(), m.getHeader(KafkaConstants.KEY));
                assertTrue(eventIds.add(e.eventId()), "event ids are unique");
                assertTrue(e.email().contains("@"));
                total++;
            }
        }
        assertEquals(3000, total);
        assertEquals(3000, generator.generated());
        assertTrue(generator.finished());
    }

    @Test
    void inventoryPublishesTheWholeCatalogFirstThenUpdatesWithIncreasingVersions() throws Exception {
        ProductCatalog catalog = new ProductCatalog(300, 7);
        InventoryGenerator generator = new InventoryGenerator(catalog, 0, 100, 1300);
        List<InventoryRecord> records = new java.util.ArrayList<>();
        List<Message> batch;
        while (!(batch = generator.nextBatch(exchange)).isEmpty()) {
            for (Message m : batch) {
                records.add(Json.MAPPER.readValue(m.getBody(byte[].class), InventoryRecord.class));
            }
        }
        assertEquals(1300, records.size());
        Set<String> snapshot = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            snapshot.add(records.get(i).productId());
        }
        assertEquals(300, snapshot.size(), "the first 300 records cover every product once");
        Map<String, Long> lastVersion = new HashMap<>();
        for (InventoryRecord r : records) {
            assertEquals(null, RecordValidator.violation(r));
            Long previous = lastVersion.put(r.productId(), r.version());
            assertTrue(previous == null || r.version() > previous, "versions increase per product");
            assertTrue(r.stockLevel() >= 0);
        }
    }
}
