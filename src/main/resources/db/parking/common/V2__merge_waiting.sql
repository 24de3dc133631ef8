-- The wait store: one row per customer event waiting for its product's inventory, written per poll
-- (merge/WaitStore). state: W waiting, R being released, E claimed for expiry, D being dead-lettered,
-- H being handed over;
-- a claim moves the deadline, so a claim cut short (crash, failed delivery) is taken up again.
CREATE TABLE merge_waiting (
    product_id       VARCHAR(255) NOT NULL,
    event_id         VARCHAR(255) NOT NULL,
    source_topic     VARCHAR(255) NOT NULL,
    source_partition INTEGER      NOT NULL,
    state            CHAR(1)      NOT NULL,
    deadline_ms      BIGINT       NOT NULL,
    extensions       INTEGER      NOT NULL,
    payload          VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (product_id, event_id)
);
CREATE INDEX merge_waiting_deadline ON merge_waiting (deadline_ms);
