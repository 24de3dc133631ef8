package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.SourceRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** An upgrade from the aggregator-based wait keeps the events it had parked (real H2 file database). */
class LegacyParkedEventsTest {

    @Test
    void eventsParkedByTheAggregatorAreMovedIntoTheWaitStoreOnce(@TempDir Path dir) throws Exception {
        try (HikariDataSource db = StoreDataSource.create("parking", "jdbc:h2:file:" + dir.resolve("parking"), "sa", "", 2,
                WaitStore.migrations("jdbc:h2:"))) {
            CamelContext context = new DefaultCamelContext();
            JdbcAggregationRepository old = new JdbcAggregationRepository(new JdbcTransactionManager(db), "parked_events", db);
            old.setUseRecovery(true);
            old.start();
            old.add(context, "P1|waiting", parked("waiting", "P1", 2));
            // a group that completed but whose delivery was not confirmed: recovery would have run it again
            old.add(context, "P2|completing", parked("completing", "P2", 0));
            old.remove(context, "P2|completing", old.get(context, "P2|completing"));

            WaitStore store = new WaitStore(db);
            assertEquals(2, LegacyParkedEvents.moveInto(store, db, false, context, Duration.ofMinutes(1)));
            assertEquals(Set.of("waiting", "completing"), store.eventIds());
            assertEquals(2, store.due(Long.MAX_VALUE, 10, null).stream().filter(e -> e.eventId().equals("waiting"))
                    .findFirst().orElseThrow().extensions(), "the wait it has spent is kept");
            assertEquals(0, old.getKeys().size() + old.scan(context).size(), "the old tables are emptied");
            assertEquals(0, LegacyParkedEvents.moveInto(store, db, false, context, Duration.ofMinutes(1)), "once");
        }
    }

    private static Exchange parked(String eventId, String productId, int extensions) throws Exception {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(Json.MAPPER.writeValueAsString(new ParkedEvent(MergeTest.event(eventId, productId, 1),
                new SourceRef("customer-data", 0, 5L), 0, Instant.now(), extensions)));
        return e;
    }
}
