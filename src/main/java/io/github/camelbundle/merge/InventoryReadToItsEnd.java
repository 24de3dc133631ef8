package io.github.camelbundle.merge;

import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a waiting event may conclude that its inventory never came: the merge is consuming, and
 * the table has taken in every inventory record the broker holds now for this instance's inventory
 * partitions. Asked as the event's wait ends. "Read to the end at the last poll" is not enough: while
 * a large poll is merged (parking thousands of events takes seconds) new inventory arrives that no
 * poll has fetched yet, and 168 valid events of a clean 100,000 run expired that way. One end-offset
 * request per decision; when the broker does not answer, the event waits again (bounded by
 * merge.max-wait-extensions).
 */
public class InventoryReadToItsEnd implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryReadToItsEnd.class);

    private final BooleanSupplier consuming;
    private final MeteredKafkaClientFactory clients;
    private final KafkaObserver broker;
    private final InventoryTable table;
    private final String groupId;
    private final String inventoryTopic;

    public InventoryReadToItsEnd(BooleanSupplier consuming, MeteredKafkaClientFactory clients, KafkaObserver broker,
                                 InventoryTable table, String groupId, String inventoryTopic) {
        this.consuming = consuming;
        this.clients = clients;
        this.broker = broker;
        this.table = table;
        this.groupId = groupId;
        this.inventoryTopic = inventoryTopic;
    }

    @Override
    public boolean getAsBoolean() {
        if (!consuming.getAsBoolean() || !clients.caughtUp(groupId, inventoryTopic)
                || !table.holds(clients.handedOut(groupId, inventoryTopic))) {
            return false;
        }
        List<TopicPartition> assigned = clients.assigned(groupId, inventoryTopic);
        Map<TopicPartition, Long> lastOffsets = new HashMap<>();
        try {
            broker.endOffsets(assigned).forEach((tp, end) -> {
                if (end > 0) {
                    lastOffsets.put(tp, end - 1);
                }
            });
        } catch (Exception e) {
            LOG.debug("End offsets of {} not known now, the event waits again: {}", assigned, e.toString());
            return false;
        }
        return table.holds(lastOffsets);
    }
}
