package io.github.camelbundle.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.model.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The wait store's table ({@code merge_waiting}), in statements that cost per poll, not per event:
 * each call is one transaction of batched statements. Claims are compare-and-set updates on a row's
 * state and deadline (W waiting, R being released, E claimed for expiry, D being dead-lettered, H being
 * handed over); see WaitDeadlines and WaitingEvents for why a release and an expiry never both act on an
 * event. Plain JDBC, because the same SQL runs on H2 and PostgreSQL.
 */
public class WaitStore {

    static final String WAITING = "W";
    static final String RELEASING = "R";
    static final String EXPIRING = "E";
    static final String DEAD_LETTERING = "D";
    static final String HANDING_OVER = "H";

    private static final ObjectReader READER = Json.MAPPER.readerFor(ParkedEvent.class);
    private static final int IN_LIST = 500;
    private static final int ROWS_PER_INSERT = 100;
    private static final String COLUMNS = "product_id, event_id, source_topic, source_partition, state, deadline_ms, extensions, payload";

    private final DataSource dataSource;

    /** The wait store's Flyway locations for a database URL: the vendor's own (the old repository's tables) and the shared ones. */
    public static String migrations(String url) {
        return "classpath:db/parking/" + (url.startsWith("jdbc:postgresql:") ? "postgresql" : "h2") + ",classpath:db/parking/common";
    }

    public WaitStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Checks the events in, waiting until their deadline, in one transaction of multi-row inserts. A poll
     * read again finds some of them there already: then the transaction is done again row by row, each
     * inserted only where it is not there yet (rare, so the fast path stays plain inserts).
     */
    public int checkIn(List<WaitingEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        try {
            return inTransaction(c -> insertAll(c, events));
        } catch (SQLException e) {
            if (!duplicateKey(e)) {
                throw e;
            }
            return inTransaction(c -> insertMissing(c, events));
        }
    }

    private static int insertAll(Connection c, List<WaitingEvent> events) throws SQLException {
        int inserted = 0;
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<WaitingEvent> chunk = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO merge_waiting (" + COLUMNS + ") VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?, ?, ?)")))) {
                int i = 0;
                for (WaitingEvent e : chunk) {
                    i = bindRow(ps, i, e);
                }
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    private static int insertMissing(Connection c, List<WaitingEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO merge_waiting (" + COLUMNS + ")"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM merge_waiting WHERE product_id = ? AND event_id = ?)")) {
            for (WaitingEvent e : events) {
                bindRow(ps, 0, e);
                ps.setString(9, e.productId());
                ps.setString(10, e.eventId());
                ps.addBatch();
            }
            return updated(ps.executeBatch());
        }
    }

    /** Binds one row's eight columns after parameter {@code at}; returns the last parameter bound. */
    private static int bindRow(PreparedStatement ps, int at, WaitingEvent e) throws SQLException {
        ps.setString(at + 1, e.productId());
        ps.setString(at + 2, e.eventId());
        ps.setString(at + 3, e.parked().source().topic());
        ps.setInt(at + 4, e.parked().source().partition());
        ps.setString(at + 5, WAITING);
        ps.setLong(at + 6, e.deadlineMs());
        ps.setInt(at + 7, e.extensions());
        try {
            ps.setString(at + 8, Json.MAPPER.writeValueAsString(e.parked()));
        } catch (JsonProcessingException x) {
            throw new SQLException("a waiting event could not be written as JSON", x);
        }
        return at + 8;
    }

    /** A unique-key violation: SQLState class 23, as H2 (23505) and PostgreSQL (23505) report it. */
    private static boolean duplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Up to {@code limit} events whose deadline has passed, in any state, earliest first; only those read
     * from these customer partitions when {@code partitions} is not null.
     */
    public List<WaitingEvent> due(long nowMs, int limit, Set<Integer> partitions) throws SQLException {
        if (partitions != null && partitions.isEmpty()) {
            return List.of();
        }
        List<Integer> ps = partitions == null ? List.of() : List.copyOf(partitions);
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM merge_waiting WHERE deadline_ms <= ?"
                    + (ps.isEmpty() ? "" : " AND source_partition IN (" + String.join(", ", java.util.Collections.nCopies(ps.size(), "?")) + ")")
                    + " ORDER BY deadline_ms LIMIT ?")) {
                int i = 0;
                st.setLong(++i, nowMs);
                for (Integer p : ps) {
                    st.setInt(++i, p);
                }
                st.setInt(++i, limit);
                return rows(st);
            }
        });
    }

    /**
     * The events waiting for these products, for a check-out. With {@code claim} (a store several
     * instances share) they are first claimed for release, deadline moved to {@code retryAtMs}, and returned
     * with those already being released, so another instance's expiry cannot also take them. Without (a
     * store only this instance uses) they are only read: its expiry claims an event and then looks at the
     * same table again, and a check-out reads only after the product reached that table, so the two never
     * give an event two fates. A poll read again finds them again (settled ones are gone).
     */
    public List<WaitingEvent> checkOut(Collection<String> productIds, boolean claim, long retryAtMs) throws SQLException {
        if (productIds.isEmpty()) {
            return List.of();
        }
        List<String> ids = List.copyOf(productIds);
        return inTransaction(c -> {
            List<WaitingEvent> out = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += IN_LIST) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
                String in = "product_id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
                if (claim) {
                    try (PreparedStatement update = c.prepareStatement(
                            "UPDATE merge_waiting SET state = ?, deadline_ms = ? WHERE state = ? AND " + in)) {
                        update.setString(1, RELEASING);
                        update.setLong(2, retryAtMs);
                        update.setString(3, WAITING);
                        for (int i = 0; i < chunk.size(); i++) {
                            update.setString(4 + i, chunk.get(i));
                        }
                        update.executeUpdate();
                    }
                }
                try (PreparedStatement read = c.prepareStatement("SELECT " + COLUMNS + " FROM merge_waiting WHERE state = ? AND " + in)) {
                    read.setString(1, claim ? RELEASING : WAITING);
                    for (int i = 0; i < chunk.size(); i++) {
                        read.setString(2 + i, chunk.get(i));
                    }
                    out.addAll(rows(read));
                }
            }
            return out;
        });
    }

    /**
     * Claims the events for a fate (a state), each only if it is still as it was read (state and
     * deadline); returns the ones claimed. Claimed events wait again from {@code retryAtMs} if the fate
     * is cut short. An extension is a claim back to {@link #WAITING} with one more extension counted.
     */
    public List<WaitingEvent> claim(List<WaitingEvent> events, String state, long retryAtMs, boolean extend)
            throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE merge_waiting SET state = ?, deadline_ms = ?,"
                    + " extensions = extensions + ? WHERE product_id = ? AND event_id = ? AND state = ? AND deadline_ms = ?")) {
                for (WaitingEvent e : events) {
                    ps.setString(1, state);
                    ps.setLong(2, retryAtMs);
                    ps.setInt(3, extend ? 1 : 0);
                    ps.setString(4, e.productId());
                    ps.setString(5, e.eventId());
                    ps.setString(6, e.state());
                    ps.setLong(7, e.deadlineMs());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<WaitingEvent> claimed = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        claimed.add(events.get(i).claimed(state, retryAtMs, extend));
                    }
                }
                return claimed;
            }
        });
    }

    /**
     * Removes the events (their fate is sealed: stored, dead-lettered or handed over), one transaction:
     * one statement per product, which finds its rows by the key's first column.
     */
    public int remove(Collection<WaitingEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, List<String>> byProduct = new LinkedHashMap<>();
        events.forEach(e -> byProduct.computeIfAbsent(e.productId(), p -> new ArrayList<>()).add(e.eventId()));
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM merge_waiting WHERE product_id = ? AND event_id = ANY(?)")) {
                for (Map.Entry<String, List<String>> product : byProduct.entrySet()) {
                    ps.setString(1, product.getKey());
                    ps.setArray(2, c.createArrayOf("VARCHAR", product.getValue().toArray()));
                    ps.addBatch();
                }
                return updated(ps.executeBatch());
            }
        });
    }

    /** Events in the store now (the integration_records_parked gauge). */
    public long count() {
        try {
            return inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM merge_waiting");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The ids of the events in the store (reconciliation). */
    public Set<String> eventIds() {
        try {
            return inTransaction(c -> {
                Set<String> ids = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM merge_waiting");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("the wait store could not be read: " + e.getMessage(), e);
        }
    }

    private static List<WaitingEvent> rows(PreparedStatement ps) throws SQLException {
        List<WaitingEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ParkedEvent parked;
                try {
                    parked = READER.readValue(rs.getString("payload"));
                } catch (JsonProcessingException e) {
                    throw new SQLException("unreadable waiting event " + rs.getString("event_id"), e);
                }
                out.add(new WaitingEvent(rs.getString("product_id"), rs.getString("event_id"), rs.getString("state"),
                        rs.getLong("deadline_ms"), rs.getInt("extensions"), parked));
            }
        }
        return out;
    }

    private static int updated(int[] counts) {
        int n = 0;
        for (int count : counts) {
            n += count > 0 ? count : 0;
        }
        return n;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
