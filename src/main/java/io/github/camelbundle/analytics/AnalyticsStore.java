package io.github.camelbundle.analytics;

import io.github.camelbundle.model.MergedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The system of record for merged data: idempotent batch inserts (one transaction, one JDBC batch
 * per call) and the keyed reads. The schema is owned by the Flyway migrations under db/migration.
 */
public class AnalyticsStore {

    /** SQLState of a unique-key violation, the same in H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final boolean syncEachCommit;
    private final H2FileCompaction compaction;

    public AnalyticsStore(DataSource dataSource) throws SQLException {
        this(dataSource, true);
    }

    public AnalyticsStore(DataSource dataSource, boolean syncEachCommit) throws SQLException {
        this(dataSource, syncEachCommit, new H2FileCompaction());
    }

    /**
     * @param syncEachCommit on H2, force each insert commit to the disk (CHECKPOINT SYNC, an fsync) before
     *                       the API answers: without it an acknowledged batch survives a crash of the
     *                       process but not a power cut of the host (H2 writes at commit, never syncs).
     *                       PostgreSQL syncs its WAL at commit by itself; ignored there.
     * @param compaction     on an embedded H2 file, a compaction step every few hundred records or every
     *                       few dozen commits, so the file grows with the live data, not with the writes;
     *                       null for none (benchmarks of H2 without it)
     */
    public AnalyticsStore(DataSource dataSource, boolean syncEachCommit, H2FileCompaction compaction)
            throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = StoreDialect.of(c.getMetaData().getDatabaseProductName());
        }
        this.syncEachCommit = syncEachCommit && dialect == StoreDialect.H2;
        this.compaction = dialect == StoreDialect.H2 ? compaction : null;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Stores the records that are not stored yet, all or nothing. A record whose event id is stored
     * already is a duplicate when it carries the same customer event, and a conflict (refused, in
     * {@link StoreResult#conflicts()}) when it does not. Writers racing on the same event ids
     * can make the losing transaction fail on the key (H2's insert-if-absent cannot see an uncommitted
     * row); it is then retried, and the retry sees the winner's rows and counts them as duplicates.
     */
    public StoreResult store(List<MergedRecord> records, List<String> payloads) throws SQLException {
        if (records.isEmpty()) {
            return new StoreResult(0, 0);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return insert(records, payloads);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())
                    || s.getCause() instanceof SQLException c && UNIQUE_VIOLATION.equals(c.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private StoreResult insert(List<MergedRecord> records, List<String> payloads) throws SQLException {
        Instant now = Instant.now();
        Timestamp storedAt = Timestamp.from(now);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(dialect.insertIfAbsent)) {
                for (int i = 0; i < records.size(); i++) {
                    bind(ps, records.get(i), payloads.get(i), storedAt, now);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<MergedRecord> stored = new ArrayList<>(records.size());
                Map<Integer, MergedRecord> present = new LinkedHashMap<>();
                for (int i = 0; i < counts.length; i++) {
                    // 1 = inserted, 0 = the event id was stored already (a duplicate or a conflict)
                    if (counts[i] > 0) {
                        stored.add(records.get(i));
                    } else {
                        present.put(i, records.get(i));
                    }
                }
                Map<Integer, String> conflicts = present.isEmpty() ? Map.of() : conflicts(c, present);
                // the summary's figures of the new records, committed with them: a replayed batch adds nothing
                SummaryDeltas.insert(c, stored, now);
                c.commit();
                if (compaction != null && !stored.isEmpty()) {
                    // keeps the file proportional to the live data, not to the writes
                    compaction.stored(c, stored.size());
                }
                if (syncEachCommit && !stored.isEmpty()) {
                    try (java.sql.Statement sync = c.createStatement()) {
                        sync.execute("CHECKPOINT SYNC");
                    }
                }
                return new StoreResult(stored.size(), records.size() - stored.size() - conflicts.size(), conflicts);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void bind(PreparedStatement ps, MergedRecord r, String payload, Timestamp storedAt, Instant now)
            throws SQLException {
        int i = 1;
        ps.setString(i++, r.eventId());
        ps.setString(i++, r.customer().customerId());
        ps.setString(i++, r.product().productId());
        ps.setString(i++, r.customer().region().name());
        ps.setString(i++, r.customer().tier().name());
        ps.setInt(i++, r.quantity());
        ps.setBigDecimal(i++, r.orderValue());
        ps.setString(i++, r.product().currency());
        ps.setBoolean(i++, r.fulfillable());
        ps.setInt(i++, r.product().stockLevel());
        ps.setLong(i++, r.inventoryVersion());
        ps.setTimestamp(i++, Timestamp.from(r.customerEventTime()));
        ps.setTimestamp(i++, Timestamp.from(r.mergedAt()));
        ps.setTimestamp(i++, storedAt);
        ps.setLong(i++, latencyMs(r, now));
        ps.setString(i++, r.source().topic());
        ps.setInt(i++, r.source().partition());
        ps.setLong(i++, r.source().offset());
        ps.setString(i++, payload);
        if (dialect.repeatsEventId()) {
            ps.setString(i, r.eventId());
        }
    }

    /**
     * The records (by index) whose event id is stored with another customer event: compared on the
     * customer event's fields as received and stored in columns (customer, product, quantity, event
     * time, region, tier), never on the merge-time fields (inventory, order value, mergedAt, source),
     * which differ on every legitimate re-read. Read in the inserting transaction, so a row written
     * earlier in the same batch counts too. Runs only for batches that hold duplicates.
     */
    private static Map<Integer, String> conflicts(Connection c, Map<Integer, MergedRecord> present) throws SQLException {
        Map<String, Object[]> rows = new HashMap<>();
        List<String> ids = present.values().stream().map(MergedRecord::eventId).distinct().toList();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String sql = "SELECT event_id, customer_id, product_id, quantity, customer_event_time, region, tier "
                    + "FROM merged_records WHERE event_id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), new Object[] {rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7)});
                    }
                }
            }
        }
        Map<Integer, String> conflicts = new LinkedHashMap<>();
        present.forEach((index, r) -> {
            Object[] row = rows.get(r.eventId());
            String difference = row == null ? "the stored row is gone" : difference(r, row);
            if (difference != null) {
                conflicts.put(index, "eventId: " + r.eventId() + " is already stored with a different customer event ("
                        + difference + ")");
            }
        });
        return conflicts;
    }

    /** The first field in which the record's customer event differs from the stored row, or null. */
    private static String difference(MergedRecord r, Object[] row) {
        Object[] sent = {r.customer().customerId(), r.product().productId(), r.quantity(), r.customerEventTime(),
                r.customer().region().name(), r.customer().tier().name()};
        String[] names = {"customerId", "productId", "quantity", "eventTime", "region", "tier"};
        for (int i = 0; i < sent.length; i++) {
            // the column keeps microseconds, rounded (H2 and PostgreSQL), so the instants are compared at
            // that precision (docs/exactness.md, section 2)
            boolean same = i == 3 ? Math.abs(Duration.between((Instant) sent[i], (Instant) row[i]).toNanos()) < 1000
                    : Objects.equals(sent[i], row[i]);
            if (!same) {
                return names[i] + " " + sent[i] + ", stored " + row[i];
            }
        }
        return null;
    }

    /** Event time to storage, the row's latency_ms; an event time in the future counts as 0. */
    static long latencyMs(MergedRecord r, Instant storedAt) {
        return Math.max(0, Duration.between(r.customerEventTime(), storedAt).toMillis());
    }

    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM merged_records");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every stored event id (reconciliation of bounded runs). */
    public java.util.Set<String> eventIds() throws SQLException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT event_id FROM merged_records");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The stored record as it was delivered. */
    public Optional<String> find(String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT payload FROM merged_records WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A page of stored records in event id order, after the cursor {@code afterEventId}; filters are optional. */
    public RecordPage page(String customerId, String productId, String afterEventId, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT m.event_id, m.payload FROM merged_records m WHERE m.event_id > ?");
        List<String> args = new ArrayList<>();
        if (customerId != null) {
            sql.append(" AND m.customer_id = ?");
            args.add(customerId);
        }
        if (productId != null) {
            sql.append(" AND m.product_id = ?");
            args.add(productId);
        }
        sql.append(" ORDER BY m.event_id LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, afterEventId);
            for (String arg : args) {
                ps.setString(i++, arg);
            }
            ps.setInt(i, limit);
            List<String> payloads = new ArrayList<>();
            String last = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getString(1);
                    payloads.add(rs.getString(2));
                }
            }
            return new RecordPage(payloads, payloads.size() == limit ? last : null);
        }
    }

    /** One page of stored records as JSON texts, and the cursor of the next page (null on the last). */
    public record RecordPage(List<String> payloads, String next) {
    }
}
