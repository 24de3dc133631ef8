package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.kafka.PollPositions;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a transactional inventory producer's commit marker is the last offset of the partition and
 * never a record. The table must count it as taken in once the consumer has stepped over it, or a
 * waiting event's "is the inventory read to its end (end offset - 1)?" is never true.
 */
class TableTakesInGapsTest {

    @Test
    void whatTheConsumerSteppedOverCountsAsTakenIn() {
        InventoryTable table = new InventoryTable();
        CustomerInventoryJoin join = new CustomerInventoryJoin(table, new PipelineMetrics(new SimpleMeterRegistry()));
        TopicPartition inventory = new TopicPartition("inventory-data", 0);
        MergeBatch batch = new MergeBatch();
        for (long o = 0; o <= 7; o++) {
            batch.read(inventory.topic(), 0, o);
        }
        // records 0-7, then the marker at 8: the consumer's position after the poll is 9
        batch.spans(Map.of(inventory, new PollPositions.Span(9)));
        join.join(batch);
        assertTrue(table.holds(Map.of(inventory, 8L)), "end offset 9 - 1: the marker is behind the consumer");
        assertFalse(table.holds(Map.of(inventory, 9L)), "nothing past the consumer's position");
    }
}
