package io.github.camelbundle.merge;

import io.github.camelbundle.dlq.DeadLetter;
import static io.github.camelbundle.merge.MergeTest.event;
import static io.github.camelbundle.merge.MergeTest.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wait store's claim check and deadlines, on the real (H2 file) database with its migrations. */
class WaitingEventsTest {

    @TempDir
    Path dir;
    private HikariDataSource db;
    private WaitStore store;
    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    private final InventoryTable table = new InventoryTable();
    private final CustomerInventoryJoin join = new CustomerInventoryJoin(table, metrics);
    private final Set<Integer> owned = new HashSet<>(Set.of(0, 1, 2));

    @BeforeEach
    void open() throws Exception {
        db = database();
        store = new WaitStore(db);
    }

    /** The database the wait store runs on: an H2 file here. */
    HikariDataSource database() throws Exception {
        return StoreDataSource.create("parking", "jdbc:h2:file:" + dir.resolve("parking"), "sa", "", 2, WaitStore.migrations("jdbc:h2:"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private boolean ownershipKnown = true;

    private WaitingEvents waiting(Duration maxWait) {
        return new WaitingEvents(store, table, metrics, maxWait, false);
    }

    private WaitDeadlines deadlines(BooleanSupplier sawAll, int maxExtensions, boolean shared) {
        return deadlines(table, sawAll, maxExtensions, shared);
    }

    private WaitDeadlines deadlines(InventoryTable table, BooleanSupplier sawAll, int maxExtensions, boolean shared) {
        return new WaitDeadlines(store, table, metrics, sawAll,
                topic -> ownershipKnown ? Optional.of(Set.copyOf(owned)) : Optional.empty(), maxExtensions,
                Duration.ZERO, shared, 1000, "customer-data");
    }

    private MergeBatch poll(PendingEvent... events) {
        MergeBatch batch = new MergeBatch();
        batch.customerEvents().addAll(List.of(events));
        return join.join(batch);
    }

    private static PendingEvent pending(String id, String product, int partition, long offset, int replays) {
        return new PendingEvent(event(id, product, 1), new SourceRef("customer-data", partition, offset), replays);
    }

    @Test
    void eventsWithoutInventoryAreCheckedInOnceAndCheckedOutIntoThePollThatBringsIt() throws Exception {
        WaitingEvents waiting = waiting(Duration.ofMinutes(1));
        MergeBatch first = poll(pending("late-1", "P9", 0, 7, 2), pending("late-2", "P9", 0, 8, 0), pending("other", "P8", 1, 3, 0));
        waiting.checkIn(first);
        waiting.checkIn(first); // the same poll read again after a failure
        assertEquals(3, store.count(), "checked in once each");

        MergeBatch second = new MergeBatch();
        second.inventory().add(stock("P9", "2.50", 1, 1));
        join.join(second);
        waiting.checkOut(second);
        assertEquals(Set.of("late-1", "late-2"), Set.copyOf(second.merged().stream().map(m -> m.eventId()).toList()));
        assertEquals(0, new BigDecimal("2.50").compareTo(second.merged().get(0).product().price()));
        assertEquals(7L, second.merged().stream().filter(m -> m.eventId().equals("late-1")).findFirst().orElseThrow()
                .source().offset(), "the source is the original record");
        assertEquals(2, second.replayCount("late-1"), "the loop guard's count travels with the event");

        waiting.settle(second);
        assertEquals(Set.of("other"), store.eventIds(), "removed once delivered; the other product's event still waits");
    }

    @Test
    void aReleaseThatWasCutShortIsReleasedAgainWhenThePollIsReadAgain() throws Exception {
        WaitingEvents waiting = waiting(Duration.ofMinutes(1));
        waiting.checkIn(poll(pending("e", "P1", 0, 1, 0)));
        MergeBatch arrival = new MergeBatch();
        arrival.inventory().add(stock("P1", "1.00", 1, 1));
        join.join(arrival);
        waiting.checkOut(arrival);
        assertEquals(1, arrival.merged().size());
        // delivery failed: the poll is read again; its inventory is not newer now, but it is this poll's
        MergeBatch again = new MergeBatch();
        again.inventory().add(stock("P1", "1.00", 1, 1));
        join.join(again);
        waiting.checkOut(again);
        assertEquals(1, again.merged().size(), "the claimed event is checked out again");
    }

    @Test
    void anEventWhoseWaitEndedWithoutInventoryBecomesANoInventoryDeadLetter() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("gone", "P404", 2, 99, 1)));
        MergeBatch due = deadlines(() -> true, 4, false).due();
        DeadLetter d = due.deadLetters().get(0);
        assertEquals(DeadLetter.NO_INVENTORY, d.reason());
        assertEquals(2, d.sourcePartition());
        assertEquals(99L, d.sourceOffset());
        assertEquals(1, d.replayCount());
        assertEquals("gone", Json.MAPPER.readTree(d.payload()).get("eventId").asText());
        waiting(Duration.ZERO).settle(due);
        assertEquals(0, store.count());
    }

    @Test
    void noInventoryOnlyOnceTheMergeHasTakenInAllThereWasAndExtensionsAreBounded() throws Exception {
        boolean[] sawAll = {false};
        WaitDeadlines deadlines = deadlines(() -> sawAll[0], 2, false);
        waiting(Duration.ZERO).checkIn(poll(pending("slow", "P77", 0, 5, 0)));
        assertTrue(deadlines.due().settled().isEmpty(), "extended");
        assertTrue(deadlines.due().settled().isEmpty(), "extended again");
        assertTrue(deadlines.due().settled().isEmpty(), "past the bound: waits on, uncounted, while the merge is behind");
        assertEquals(2, store.due(Long.MAX_VALUE, 10, null).get(0).extensions(), "extended twice: the bound");
        sawAll[0] = true;
        assertEquals(DeadLetter.NO_INVENTORY, deadlines.due().deadLetters().get(0).reason(), "caught up: it never came");
    }

    @Test
    void whileThePartitionsAreNotKnownNothingIsDecided() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("early", "P78", 0, 5, 4)));
        ownershipKnown = false;
        assertTrue(deadlines(() -> true, 2, false).due().settled().isEmpty(), "start-up or a rebalance: next run");
        assertTrue(deadlines(() -> true, 2, true).due().settled().isEmpty());
        ownershipKnown = true;
        assertEquals(1, deadlines(() -> true, 2, false).due().deadLetters().size());
    }

    @Test
    void aDeadLetterTakenUpAgainStaysADeadLetterEvenIfTheProductArrivesAfterIt() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("gone", "P6", 0, 1, 0)));
        assertEquals(1, deadlines(() -> true, 4, false).due().deadLetters().size());
        // the dead letter was sent, then the process died before the row was settled; the product comes
        table.apply(stock("P6", "1.00", 1, 1));
        MergeBatch again = deadlines(() -> true, 4, false).due();
        assertTrue(again.merged().isEmpty(), "a published fate is not changed");
        assertEquals(1, again.deadLetters().size(), "dead-lettered again (at least once), never stored");
    }

    @Test
    void aReleaseTakenUpAgainIsOnlyReleasedAgain() throws Exception {
        MergeBatch checkedIn = new MergeBatch();
        checkedIn.waiting().add(pending("late", "P7", 0, 1, 0));
        waiting(Duration.ZERO).checkIn(checkedIn);
        table.apply(stock("P7", "1.00", 1, 1)); // known by its deadline
        assertEquals(1, deadlines(() -> true, 4, false).due().merged().size());
        table.remove("P7"); // a tombstone; the release was cut short before it was settled
        MergeBatch again = deadlines(() -> true, 4, false).due();
        assertTrue(again.deadLetters().isEmpty(), "never dead-lettered once it may have been stored");
        assertEquals(1, store.count(), "it waits on");
    }

    @Test
    void withASharedStoreACheckOutClaimsSoAnotherInstancesExpiryCannotTakeTheEvent() throws Exception {
        new WaitingEvents(store, table, metrics, Duration.ZERO, true).checkIn(poll(pending("shared", "P9", 0, 1, 0)));
        MergeBatch arrival = new MergeBatch();
        arrival.inventory().add(stock("P9", "1.00", 1, 1));
        join.join(arrival);
        new WaitingEvents(store, table, metrics, Duration.ofMinutes(1), true).checkOut(arrival);
        assertEquals(1, arrival.merged().size());
        // the other instance's table has never seen P9, and it owns partition 0 now
        MergeBatch other = deadlines(new InventoryTable(), () -> true, 4, true).due();
        assertTrue(other.settled().isEmpty(), "claimed by the check-out: not the other instance's to expire");
    }

    @Test
    void inventoryThatReachesTheTableWhileTheBrokerIsAskedReleasesTheEvent() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("racing", "P88", 0, 5, 0)));
        MergeBatch due = deadlines(() -> table.apply(stock("P88", "1.00", 1, 1)), 4, false).due();
        assertEquals("racing", due.merged().get(0).eventId());
        assertTrue(due.deadLetters().isEmpty());
    }

    @Test
    void anEventClaimedForExpiryIsNeverAlsoCheckedOut() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("late", "P5", 0, 1, 0)));
        MergeBatch expired = deadlines(() -> true, 4, false).due();
        assertEquals(1, expired.deadLetters().size());
        // its inventory arrives before the dead letter is sent
        MergeBatch arrival = new MergeBatch();
        arrival.inventory().add(stock("P5", "1.00", 1, 1));
        join.join(arrival);
        waiting(Duration.ZERO).checkOut(arrival);
        assertTrue(arrival.merged().isEmpty(), "one fate per event");
    }

    @Test
    void anEventWhosePartitionMovedIsHandedOverKeyedByProductOrLeftToTheOwnerOfASharedStore() throws Exception {
        waiting(Duration.ZERO).checkIn(poll(pending("moved", "P55", 1, 12, 1)));
        owned.remove(1);
        assertTrue(deadlines(() -> true, 2, true).due().settled().isEmpty(), "shared store: the new owner sees it");
        assertEquals(1, store.count());

        MergeBatch due = deadlines(() -> true, 2, false).due();
        assertEquals(1, due.handOvers().size());
        Exchange out = new DefaultExchange(new DefaultCamelContext());
        out.getMessage().setHeader("internal", "x");
        deadlines(() -> true, 2, false).handOver(out, due.handOvers().get(0));
        assertEquals("P55", out.getMessage().getHeader(KafkaConstants.KEY), "keyed by product: the owner's partition");
        assertEquals("1", out.getMessage().getHeader(IncomingRecordParser.REPLAY_COUNT));
        assertEquals("1", out.getMessage().getHeader(IncomingRecordParser.WAIT_EXTENSIONS));
        assertNull(out.getMessage().getHeader("internal"), "internal headers do not travel to Kafka");
        assertEquals("moved", Json.MAPPER.readTree(out.getMessage().getBody(byte[].class)).get("eventId").asText());
        waiting(Duration.ZERO).settle(due);

        // a handed-over event that has spent the limit is expired only by the partition's owner
        PendingEvent spent = new PendingEvent(event("spent", "P56", 1), new SourceRef("customer-data", 1, 13L), 0, 2);
        waiting(Duration.ZERO).checkIn(poll(spent));
        MergeBatch handedOver = deadlines(() -> true, 2, false).due();
        assertEquals(1, handedOver.handOvers().size(), "not ours: handed over even past the limit");
        waiting(Duration.ZERO).settle(handedOver);
        owned.add(1);
        waiting(Duration.ZERO).checkIn(poll(spent));
        assertEquals(1, deadlines(() -> true, 2, false).due().deadLetters().size(), "the owner expires it");
    }
}
