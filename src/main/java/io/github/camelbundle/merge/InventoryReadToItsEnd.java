package io.github.camelbundle.merge;

import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a waiting event may conclude that its inventory never came: the merge is consuming, and
 * the table has taken in every inventory record the broker held, for this instance's inventory
 * partitions, at the moment the event's wait ended. "Read to the end at the last poll" is not enough:
 * while a large poll is merged (parking thousands of events takes seconds) new inventory arrives that
 * no poll has fetched yet (docs/benchmarks.md, "Measured reasons"). The end
 * offsets are asked once, then the join is given up to {@code patience} to take them in (inventory
 * arriving after that moment does not count, so steady inventory traffic cannot keep an event waiting).
 * A partition whose records retention has deleted has nothing to take in. When the broker does not
 * answer, or the join does not catch up in time, the event waits again (bounded by
 * merge.max-wait-extensions).
 */
public class InventoryReadToItsEnd implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryReadToItsEnd.class);
    private static final long STEP_MS = 10;

    private final BooleanSupplier consuming;
    private final MeteredKafkaClientFactory clients;
    private final KafkaObserver broker;
    private final InventoryTable table;
    private final String groupId;
    private final String inventoryTopic;
    private final Duration patience;

    public InventoryReadToItsEnd(BooleanSupplier consuming, MeteredKafkaClientFactory clients, KafkaObserver broker,
                                 InventoryTable table, String groupId, String inventoryTopic, Duration patience) {
        this.consuming = consuming;
        this.clients = clients;
        this.broker = broker;
        this.table = table;
        this.groupId = groupId;
        this.inventoryTopic = inventoryTopic;
        this.patience = patience;
    }

    @Override
    public boolean getAsBoolean() {
        if (!consuming.getAsBoolean() || !clients.caughtUp(groupId, inventoryTopic)) {
            return false;
        }
        Map<TopicPartition, Long> lastOffsets = lastReadableOffsets(clients.assigned(groupId, inventoryTopic));
        if (lastOffsets == null) {
            return false;
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (!table.holds(lastOffsets)) {
            if (System.nanoTime() > deadline || !consuming.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Per partition with readable records, the offset before its last stable offset now; null if the broker does not say. */
    private Map<TopicPartition, Long> lastReadableOffsets(List<TopicPartition> assigned) {
        try {
            Map<TopicPartition, Long> start = broker.startOffsets(assigned);
            Map<TopicPartition, Long> last = new HashMap<>();
            broker.stableEndOffsets(assigned).forEach((tp, end) -> {
                if (end > start.getOrDefault(tp, 0L)) {
                    last.put(tp, end - 1);
                }
            });
            return last;
        } catch (Exception e) {
            LOG.debug("End offsets of {} not known now, the event waits again: {}", assigned, e.toString());
            return null;
        }
    }
}
