-- The parking aggregator's repository (camel-sql JdbcAggregationRepository): one row per waiting
-- customer event (id = productId|eventId), and the completed ones not yet confirmed (recovery).
CREATE TABLE parked_events (
    id       VARCHAR(255) NOT NULL PRIMARY KEY,
    exchange BYTEA        NOT NULL,
    version  BIGINT       NOT NULL
);
CREATE TABLE parked_events_completed (
    id       VARCHAR(255) NOT NULL PRIMARY KEY,
    exchange BYTEA        NOT NULL,
    version  BIGINT       NOT NULL
);
