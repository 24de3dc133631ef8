package io.github.camelbundle.analytics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online compaction of an embedded H2 file store, a step at a time: re-writes the live pages of its
 * least-filled chunks into a new one, so the old chunks die and their space is reused. H2 does this in
 * its background writer, which a file opened with {@code WRITE_DELAY=0} (see {@link StoreDataSource#durable})
 * does not run: without these steps the file grows with the number of writes, not with the live data
 * (docs/exactness.md, section 5). Does nothing on other databases, in-memory H2 or an H2 server.
 */
public final class H2FileCompaction {

    /** Below this share of live bytes in the file's chunks, a step compacts. */
    public static final int TARGET_FILL_RATE = 70;
    /** Live bytes re-written by one step, at most. */
    public static final int STEP_BYTES = 4 * 1024 * 1024;
    /** Records stored between two steps: as many as one full delivery batch (delivery.batch-size). */
    public static final int RECORDS_PER_STEP = 500;
    /** Insert commits between two steps, whatever they stored: each commit leaves changed pages behind. */
    public static final int COMMITS_PER_STEP = 25;

    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);

    private final int targetFillRate;
    private final int stepBytes;
    private final int recordsPerStep;
    private final int commitsPerStep;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();

    public H2FileCompaction() {
        this(TARGET_FILL_RATE, STEP_BYTES, RECORDS_PER_STEP, COMMITS_PER_STEP);
    }

    public H2FileCompaction(int targetFillRate, int stepBytes, int recordsPerStep, int commitsPerStep) {
        if (recordsPerStep < 1 || commitsPerStep < 1) {
            throw new IllegalArgumentException("recordsPerStep and commitsPerStep must be at least 1");
        }
        this.targetFillRate = targetFillRate;
        this.stepBytes = stepBytes;
        this.recordsPerStep = recordsPerStep;
        this.commitsPerStep = commitsPerStep;
    }

    /**
     * After an insert commit that stored {@code stored} records (any writer): a step each time the records
     * stored pass a multiple of recordsPerStep, or the commits a multiple of commitsPerStep: garbage comes
     * with every record and with every commit. A step that fails is logged: the commit before it stands.
     *
     * @return whether a step was due and ran (whether or not it found anything to re-write)
     */
    public boolean stored(Connection c, int stored) {
        long total = records.addAndGet(stored);
        long commit = commits.incrementAndGet();
        if ((total - stored) / recordsPerStep == total / recordsPerStep && commit % commitsPerStep != 0) {
            return false;
        }
        try {
            step(c);
        } catch (SQLException | RuntimeException e) {
            // the file grows a little more until the next step; nothing stored is at stake
            LOG.warn("H2 file compaction step failed: {}", e.toString());
        }
        return true;
    }

    /**
     * One step: when the chunks are less than the target full, their live pages re-written and stored
     * (not synced); when the file has more free space between its chunks than that, chunks from its end
     * moved into it and the file cut (H2 syncs before it overwrites or cuts). Chunks younger than
     * RETENTION_TIME (5 s, see StoreDataSource) are not re-written; when another thread holds the
     * store's lock for more than 10 ms the re-write is skipped (the next step tries again).
     *
     * @return whether anything was re-written or moved
     */
    private boolean step(Connection c) throws SQLException {
        MVStore store = mvStore(c);
        if (store == null) {
            return false;
        }
        boolean rewritten = store.getFileStore().getChunksFillRate() < targetFillRate
                && store.compact(targetFillRate, stepBytes);
        if (rewritten) {
            // no background writer with WRITE_DELAY=0: store the re-written pages now
            store.commit();
        }
        // the freed space is reused only where a new chunk fits; what H2's background writer does about the rest
        boolean moved = store.getFillRate() < targetFillRate && store.getFileStore() instanceof RandomAccessStore;
        if (moved) {
            ((RandomAccessStore) store.getFileStore()).compactMoveChunks(targetFillRate, stepBytes, store);
        }
        return rewritten || moved;
    }

    /** The MVStore behind an embedded H2 file database, or null. */
    static MVStore mvStore(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)
                || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        Database database = session.getDatabase();
        if (!database.isPersistent() || database.getStore() == null) {
            return null;
        }
        MVStore store = database.getStore().getMvStore();
        return store.getFileStore() == null || store.isReadOnly() ? null : store;
    }
}
