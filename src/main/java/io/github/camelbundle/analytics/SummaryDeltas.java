package io.github.camelbundle.analytics;

import io.github.camelbundle.model.MergedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The summary_deltas table: written by the insert transactions, read by the summary, emptied by the folder. */
final class SummaryDeltas {

    /** The payload column's size (V3); a bigger delta is split in two (only with long product ids). */
    static final int MAX_CHARS = 1_000_000;

    private SummaryDeltas() {
    }

    /** A delta as stored, with its row id (what the folder deletes). */
    record Pending(long id, SummaryDelta delta) {
    }

    /**
     * Adds the aggregates of the records this transaction stored: one INSERT, no read and no update
     * of a shared row, so concurrent writers do not serialise on it.
     */
    static void insert(Connection c, List<MergedRecord> stored, Instant storedAt) throws SQLException {
        if (stored.isEmpty()) {
            return;
        }
        List<String> rows = new ArrayList<>(1);
        encode(stored, storedAt, rows);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO summary_deltas (payload) VALUES (?)")) {
            for (String row : rows) {
                ps.setString(1, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void encode(List<MergedRecord> records, Instant storedAt, List<String> rows) {
        SummaryDelta delta = new SummaryDelta();
        for (MergedRecord r : records) {
            delta.add(r, AnalyticsStore.latencyMs(r, storedAt), storedAt);
        }
        String json = delta.toJson();
        if (json.length() <= MAX_CHARS || records.size() == 1) {
            rows.add(json);
            return;
        }
        int half = records.size() / 2;
        encode(records.subList(0, half), storedAt, rows);
        encode(records.subList(half, records.size()), storedAt, rows);
    }

    /** The committed deltas in id order, at most {@code limit} (0 = all). */
    static List<Pending> read(Connection c, int limit) throws SQLException {
        String sql = "SELECT id, payload FROM summary_deltas ORDER BY id" + (limit > 0 ? " LIMIT " + limit : "");
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Pending(rs.getLong(1), SummaryDelta.fromJson(rs.getString(2))));
            }
        }
        return out;
    }

    /** All committed deltas merged into one. */
    static SummaryDelta sum(Connection c) throws SQLException {
        SummaryDelta all = new SummaryDelta();
        for (Pending p : read(c, 0)) {
            all.merge(p.delta());
        }
        return all;
    }

    /** Deletes exactly the deltas folded: ids are not commit-ordered, so never a range. */
    static void delete(Connection c, List<Pending> folded) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM summary_deltas WHERE id = ?")) {
            for (Pending p : folded) {
                ps.setLong(1, p.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
