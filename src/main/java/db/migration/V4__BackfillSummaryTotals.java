package db.migration;

import io.github.camelbundle.analytics.SummaryBackfill;
import java.time.Instant;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Fills the summary totals (V3) from the records already stored; Java so it shares the folder's code. */
public class V4__BackfillSummaryTotals extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        SummaryBackfill.run(context.getConnection(), Instant.now());
    }
}
