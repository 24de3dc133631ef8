package io.github.camelbundle.bench;

import io.github.camelbundle.generator.CustomerEventGenerator;
import io.github.camelbundle.generator.InventoryGenerator;
import io.github.camelbundle.generator.ProductCatalog;
import io.github.camelbundle.merge.CustomerInventoryJoin;
import io.github.camelbundle.merge.IncomingRecordParser;
import io.github.camelbundle.merge.InventoryTable;
import io.github.camelbundle.merge.MergeBatch;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import io.github.camelbundle.kafka.poll.Poll;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The merge alone (parse, validate, join; no Kafka, no HTTP) on one thread, over polls of 5,000
 * generated records as the merge route hands a poll over. Prints records/s.
 * {@code java -cp ... io.github.camelbundle.bench.MergeBench [records]}
 */
public final class MergeBench {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        CamelContext context = new DefaultCamelContext();
        Exchange factory = new DefaultExchange(context);
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        ProductCatalog catalog = new ProductCatalog(10_000, 42);
        InventoryTable table = new InventoryTable();
        IncomingRecordParser parser = new IncomingRecordParser("customer-data", "inventory-data", 65536, metrics,
                new io.github.camelbundle.dlq.SteeringHeaders("bench-key"));
        CustomerInventoryJoin join = new CustomerInventoryJoin(table, metrics);
        // the table first, as the inventory snapshot fills it
        join.join(parser.parse(poll(context, new InventoryGenerator(catalog, 0, 10_000, 10_000).nextBatch(factory),
                "inventory-data")));
        CustomerEventGenerator customers = new CustomerEventGenerator(catalog, 0, 5000, 0, 50_000);
        List<Poll> polls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            polls.add(poll(context, customers.nextBatch(factory), "customer-data"));
        }
        long merged = 0;
        for (int warm = 0; warm < 3; warm++) {
            for (Poll p : polls) {
                merged += join.join(parser.parse(p)).merged().size();
            }
        }
        long start = System.nanoTime();
        long records = 0;
        while (records < total) {
            for (Poll p : polls) {
                MergeBatch b = join.join(parser.parse(p));
                merged += b.merged().size();
                records += p.size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("merge alone: %,d records in %.1f s: %,.0f records/s on one thread (%d merged)%n", records,
                seconds, records / seconds, merged);
    }

    /** Kafka records as the merge's consumer hands them over: one poll. */
    private static Poll poll(CamelContext context, List<Message> messages, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(messages.size());
        long offset = 0;
        for (Message m : messages) {
            records.add(new ConsumerRecord<>(topic, 0, offset++, m.getHeader(KafkaConstants.KEY, String.class),
                    m.getBody(byte[].class)));
        }
        return new Poll(records, null);
    }
}
