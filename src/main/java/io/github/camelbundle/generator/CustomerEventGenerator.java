package io.github.camelbundle.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Makes realistic customer events for products of the shared catalog, a batch per timer tick, as
 * Kafka-ready messages (JSON bytes, keyed by productId) so one exchange carries the whole batch.
 */
public class CustomerEventGenerator {

    private static final String[] FIRST = {"Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken",
        "Radia", "Dennis", "Frances", "Tim", "Katherine", "Guido", "Hedy", "James", "Sophie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov",
        "Thompson", "Perlman", "Ritchie", "Allen", "Berners-Lee", "Johnson", "van Rossum", "Lamarr"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "shop.example.net"};
    private static final Tier[] TIERS = Tier.values();
    private static final Region[] REGIONS = Region.values();

    private final ProductCatalog catalog;
    private final RatePacer pacer;
    private final int customers;
    /** Makes event ids unique across restarts without coordination: run id + sequence. */
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private long sequence;

    /** The rate is a Number: Camel's constructor binding (YAML beans) does not widen a "5" to a double. */
    public CustomerEventGenerator(ProductCatalog catalog, Number ratePerSecond, int maxPerTick, long limit,
                                  int customers) {
        this.catalog = catalog;
        this.pacer = new RatePacer(ratePerSecond.doubleValue(), maxPerTick, limit, System.nanoTime());
        this.customers = Math.max(1, customers);
    }

    /** The batch due at this tick (possibly empty), as messages for the Kafka producer. */
    public List<Message> nextBatch(Exchange exchange) throws JsonProcessingException {
        int due = pacer.due(System.nanoTime());
        List<Message> batch = new ArrayList<>(due);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        for (int i = 0; i < due; i++) {
            CustomerEvent event = next(random, now);
            Message message = new DefaultMessage(exchange.getContext());
            message.setHeader(KafkaConstants.KEY, event.productId());
            message.setBody(Json.MAPPER.writeValueAsBytes(event));
            batch.add(message);
        }
        pacer.emitted(due);
        return batch;
    }

    public long generated() {
        return pacer.emitted();
    }

    public boolean finished() {
        return pacer.exhausted();
    }

    /** C0000042: the same as String.format("C%07d", n), without its parser (a twentieth of the saturated cpu). */
    static String customerId(int n) {
        String digits = Integer.toString(n);
        return "C" + "0000000".substring(Math.min(7, digits.length())) + digits;
    }

    CustomerEvent next(ThreadLocalRandom random, Instant now) {
        int customer = random.nextInt(customers);
        String first = FIRST[customer % FIRST.length];
        String last = LAST[(customer / FIRST.length) % LAST.length];
        Product product = catalog.get(random.nextInt(catalog.size()));
        return new CustomerEvent(
                "evt-" + runId + "-" + (++sequence),
                customerId(customer + 1),
                first + " " + last,
                (first + "." + last).toLowerCase().replace(' ', '-') + customer + "@" + DOMAINS[customer % DOMAINS.length],
                TIERS[customer % TIERS.length],
                REGIONS[(customer / TIERS.length) % REGIONS.length],
                product.productId(),
                1 + random.nextInt(random.nextInt(10) == 0 ? 50 : 5),
                now,
                Map.of());
    }
}
