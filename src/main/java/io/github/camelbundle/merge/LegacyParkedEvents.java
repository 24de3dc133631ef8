package io.github.camelbundle.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.model.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Events parked by earlier versions, whose wait was an aggregator on camel-sql's JDBC repository
 * (tables parked_events and parked_events_completed), moved into the wait store at start-up: an upgrade
 * loses none of them. The repository reads its own rows (serialized exchanges). Stop the old version
 * first: one still running may also release or expire an event moved here.
 */
public final class LegacyParkedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyParkedEvents.class);
    private static final ObjectReader READER = Json.MAPPER.readerFor(ParkedEvent.class);
    private static final String TABLE = "parked_events";

    private LegacyParkedEvents() {
    }

    /** Moves them, each waiting merge.max-wait from now; returns how many. */
    public static int moveInto(WaitStore store, DataSource dataSource, boolean postgres, CamelContext context,
                               Duration maxWait) throws SQLException, JsonProcessingException {
        if (rows(dataSource) == 0) {
            return 0;
        }
        JdbcTransactionManager tx = new JdbcTransactionManager(dataSource);
        JdbcAggregationRepository repository = postgres
                ? new PostgresAggregationRepository(tx, TABLE, dataSource)
                : new JdbcAggregationRepository(tx, TABLE, dataSource);
        // the body is the event's JSON text: nothing but JDK and Camel types is ever deserialized
        repository.setDeserializationFilter("java.**;org.apache.camel.**;!*");
        repository.start();
        List<String> bodies = new ArrayList<>();
        List<String> keys = List.copyOf(repository.getKeys());
        for (String key : keys) {
            bodies.add(body(repository.get(context, key)));
        }
        // completed but not confirmed (a release or expiry cut short): still the event's to settle
        List<String> completed = List.copyOf(repository.scan(context));
        for (String exchangeId : completed) {
            bodies.add(body(repository.recover(context, exchangeId)));
        }
        Instant now = Instant.now();
        long deadline = now.plus(maxWait).toEpochMilli();
        List<WaitingEvent> events = new ArrayList<>();
        for (String json : bodies) {
            if (json != null) {
                ParkedEvent p = READER.readValue(json);
                events.add(new WaitingEvent(p.event().productId(), p.event().eventId(), WaitStore.WAITING, deadline,
                        p.extensions(), p));
            }
        }
        store.checkIn(events);
        // exactly the rows moved: an old version still running beside this one (a rolling update) keeps
        // what it parks meanwhile, and settles it itself
        delete(dataSource, TABLE, keys);
        delete(dataSource, TABLE + "_completed", completed);
        LOG.info("Moved {} events parked by an earlier version into the wait store", events.size());
        return events.size();
    }

    private static void delete(DataSource dataSource, String table, List<String> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long rows(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM " + TABLE + ") + (SELECT COUNT(*) FROM "
                     + TABLE + "_completed)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String body(Exchange exchange) {
        return exchange == null ? null : exchange.getMessage().getBody(String.class);
    }
}
