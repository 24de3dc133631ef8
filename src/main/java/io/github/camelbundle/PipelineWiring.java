package io.github.camelbundle;

import io.github.camelbundle.delivery.DeliveryAcknowledgement;
import io.github.camelbundle.delivery.DeliveryControl;
import io.github.camelbundle.delivery.RetryAfterAdvisor;
import io.github.camelbundle.dlq.DeadLetterAdmin;
import io.github.camelbundle.dlq.DeadLetterReplayer;
import io.github.camelbundle.dlq.DeadLetterReport;
import io.github.camelbundle.health.DeliveryHealthCheck;
import io.github.camelbundle.health.PipelineHealthChecks;
import io.github.camelbundle.kafka.KafkaConnection;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.github.camelbundle.merge.CustomerInventoryJoin;
import io.github.camelbundle.dlq.DeadLetterMessages;
import io.github.camelbundle.merge.IncomingRecordParser;
import io.github.camelbundle.merge.InventoryReadToItsEnd;
import io.github.camelbundle.merge.InventoryTable;
import io.github.camelbundle.merge.PollFailures;
import io.github.camelbundle.health.MergeProgressHealthCheck;
import io.github.camelbundle.merge.LegacyParkedEvents;
import io.github.camelbundle.merge.WaitDeadlines;
import io.github.camelbundle.merge.WaitStore;
import io.github.camelbundle.merge.WaitingEvents;
import io.github.camelbundle.analytics.StoreDataSource;
import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.kafka.common.TopicPartition;

/** The beans of the pipeline role: merge, delivery and dead-letter flows and their admin endpoints. */
final class PipelineWiring {

    private PipelineWiring() {
    }

    static DeliveryControl bind(CamelContext context, Settings s, PipelineMetrics metrics,
                                MeteredKafkaClientFactory kafkaClients, KafkaObserver kafka, KafkaConnection kafkaConnection) throws Exception {
        Registry registry = context.getRegistry();
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        String customerTopic = s.text("topic.customers");

        // merge
        InventoryTable table = new InventoryTable();
        registry.bind("incomingRecordParser", new IncomingRecordParser(customerTopic, s.text("topic.inventory"),
                s.integer("merge.max-record-bytes"), metrics, new io.github.camelbundle.dlq.SteeringHeaders(s.text("analytics.api-key"))));
        PollFailures pollFailures = new PollFailures(metrics.registry(), s.integer("merge.isolate-after-failures"), s.duration("merge.stall-timeout"));
        registry.bind("pollFailures", pollFailures);
        health.register(new MergeProgressHealthCheck(pollFailures::stalledSeconds, pollFailures.stallTimeout()));
        registry.bind("customerInventoryJoin", new CustomerInventoryJoin(table, metrics));

        DeliveryControl control = new DeliveryControl(context, "kafka-to-merge",
                s.integer("delivery.circuit.failure-threshold"), s.duration("delivery.circuit.open-duration"));
        String inventoryTopic = s.text("topic.inventory");
        String groupId = s.text("merge.group-id");

        // the durable wait for late inventory: a claim check on its own database (H2 file or PostgreSQL)
        String waitUrl = s.text("merge.parking.datasource.url");
        HikariDataSource parkingDb = StoreDataSource.create("parking", waitUrl, s.text("merge.parking.datasource.username"),
                s.optional("merge.parking.datasource.password"), 4,
                WaitStore.migrations(waitUrl));
        context.addService(new Closing(parkingDb), true, true);
        WaitStore waitStore = new WaitStore(parkingDb);
        Duration maxWait = s.duration("merge.max-wait");
        LegacyParkedEvents.moveInto(waitStore, parkingDb, waitUrl.startsWith("jdbc:postgresql:"), context, maxWait);
        registry.bind("waitStore", waitStore);
        boolean sharedStore = Boolean.parseBoolean(s.text("merge.parking.shared"));
        registry.bind("waitingEvents", new WaitingEvents(waitStore, table, metrics, maxWait, sharedStore));
        registry.bind("waitDeadlines", new WaitDeadlines(waitStore, table, metrics,
                // the join takes a poll in within one merge loop: milliseconds, seconds under a backlog
                new InventoryReadToItsEnd(() -> control.stopped() == DeliveryControl.Stop.RUNNING, kafkaClients, kafka,
                        table, groupId, inventoryTopic, Duration.ofSeconds(2)),
                // known once the merge consumer has polled after its last assignment
                topic -> kafkaClients.owns(groupId, new TopicPartition(topic, 0)).map(known -> kafkaClients
                        .assigned(groupId, topic).stream().map(TopicPartition::partition).collect(Collectors.toSet())),
                s.integer("merge.max-wait-extensions"), maxWait, sharedStore, s.integer("merge.parking.settle-limit"),
                customerTopic));
        metrics.parkedGauge(waitStore::count);
        health.register(PipelineHealthChecks.mergeConsumerAssigned(kafkaClients, s.text("merge.group-id")));

        // dead letters
        registry.bind("deadLetterMessages", new DeadLetterMessages(metrics, s.integer("dlq.max-payload-bytes")));
        registry.bind("deadLetterAdmin", new DeadLetterAdmin(new DeadLetterReport(kafkaConnection, s.text("topic.dlq")),
                new DeadLetterReplayer(kafkaConnection, s.text("topic.dlq"), s.text("topic.dlq-parked"),
                        s.integer("delivery.max-replays"), java.util.Set.of(customerTopic, inventoryTopic),
                        new io.github.camelbundle.dlq.SteeringHeaders(s.text("analytics.api-key")))));

        // delivery
        registry.bind("deliveryAcknowledgement", new DeliveryAcknowledgement(metrics));
        registry.bind("deliveryPool", context.getExecutorServiceManager()
                .newFixedThreadPool(PipelineWiring.class, "delivery", s.integer("delivery.concurrency")));
        registry.bind("deliveryControl", control);
        registry.bind("deliveryCircuitBreaker", control.circuitBreaker());
        metrics.circuitStateGauge(control::circuitState);
        registry.bind("steeringHeaders", new io.github.camelbundle.dlq.SteeringHeaders(s.text("analytics.api-key")));
        RetryAfterAdvisor retryAfter = new RetryAfterAdvisor(s.longValue("delivery.max-delay-ms"), metrics);
        registry.bind("retryAfterAdvice", (Processor) retryAfter::advise);
        registry.bind("retryCounter", (Processor) retryAfter::retrying);
        health.register(new DeliveryHealthCheck(control));
        return control;
    }
}
