package io.github.camelbundle.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Moves summary deltas into the totals (timer route summary-deltas-to-totals). One transaction adds a
 * set of deltas to the totals, deletes exactly those deltas and bumps the fold generation, so a delta
 * is counted either as pending or as folded, never both. Several instances on one database: the
 * summary_state row is locked with SKIP LOCKED, the instance that gets it folds, the others skip.
 */
public class SummaryFolder {

    private final DataSource dataSource;
    private final int maxDeltasPerFold;

    /**
     * @param maxDeltasPerFold deltas per fold transaction: bounds the transaction while a backlog drains
     */
    public SummaryFolder(DataSource dataSource, int maxDeltasPerFold) {
        this.dataSource = dataSource;
        this.maxDeltasPerFold = maxDeltasPerFold;
    }

    /** Folds every pending delta; returns how many were folded (0 also when another folder holds the lock). */
    public int fold() throws SQLException {
        int total = 0;
        for (int n = foldOnce(); n > 0; n = n < maxDeltasPerFold ? 0 : foldOnce()) {
            total += n;
        }
        return total;
    }

    private int foldOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!lock(c)) {
                    c.rollback();
                    return 0;
                }
                List<SummaryDeltas.Pending> pending = SummaryDeltas.read(c, maxDeltasPerFold);
                if (!pending.isEmpty()) {
                    SummaryDelta sum = new SummaryDelta();
                    pending.forEach(p -> sum.merge(p.delta()));
                    SummaryTotalsWriter.apply(c, sum);
                    SummaryDeltas.delete(c, pending);
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE summary_state SET generation = generation + 1 WHERE id = 1")) {
                        ps.executeUpdate();
                    }
                }
                SummaryTotalsWriter.prune(c, Instant.now().getEpochSecond());
                c.commit();
                return pending.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Takes the fold lock, or answers false at once when another folder has it. */
    private static boolean lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT generation FROM summary_state WHERE id = 1 FOR UPDATE SKIP LOCKED");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
