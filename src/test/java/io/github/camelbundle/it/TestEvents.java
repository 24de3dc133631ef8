package io.github.camelbundle.it;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Known records for tests that count: products P0..Pn and customer events "prefix-i". */
final class TestEvents {

    private TestEvents() {
    }

    static List<Map.Entry<String, byte[]>> inventory(int products, long version) throws Exception {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            records.add(Map.entry("P" + p, Json.MAPPER.writeValueAsBytes(new InventoryRecord("P" + p, "SKU-" + p, "Kettle",
                    "Kitchen", new BigDecimal("4.25"), "EUR", 100, "WH-1", version, Instant.now(), Map.of()))));
        }
        return records;
    }

    static List<Map.Entry<String, byte[]>> customers(String prefix, int count, int products) throws Exception {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String product = "P" + i % products;
            records.add(Map.entry(product, Json.MAPPER.writeValueAsBytes(new CustomerEvent(prefix + "-" + i, "C" + i % 97,
                    "Grace Hopper", "grace@example.com", Tier.PLATINUM, Region.NA, product, 1 + i % 4, Instant.now(),
                    Map.of()))));
        }
        return records;
    }
}
