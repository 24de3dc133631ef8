package io.github.camelbundle.analytics;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

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

    private final int targetFillRate;
    private final int stepBytes;

    public H2FileCompaction() {
        this(TARGET_FILL_RATE, STEP_BYTES);
    }

    public H2FileCompaction(int targetFillRate, int stepBytes) {
        this.targetFillRate = targetFillRate;
        this.stepBytes = stepBytes;
    }

    /**
     * One step, when the chunks are less than the target full: their live pages re-written and stored
     * (not synced). Chunks younger than RETENTION_TIME (5 s, see StoreDataSource) are left alone; so is the
     * store when another thread holds its lock for more than 10 ms (the next step tries again).
     *
     * @return whether pages were re-written
     */
    public boolean step(Connection c) throws SQLException {
        MVStore store = mvStore(c);
        if (store == null || store.getFileStore().getChunksFillRate() >= targetFillRate
                || !store.compact(targetFillRate, stepBytes)) {
            return false;
        }
        // no background writer with WRITE_DELAY=0: store the re-written pages now
        store.commit();
        return true;
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
