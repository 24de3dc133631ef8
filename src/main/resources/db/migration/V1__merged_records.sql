-- The analytics store: one row per merged record, keyed by the customer event's id (idempotent
-- delivery), with the columns the summary aggregates over and the full record as delivered.
-- Portable between H2 and PostgreSQL 15.
CREATE TABLE merged_records (
    event_id            VARCHAR(64)    NOT NULL PRIMARY KEY,
    customer_id         VARCHAR(256)   NOT NULL,
    product_id          VARCHAR(256)   NOT NULL,
    region              VARCHAR(16)    NOT NULL,
    tier                VARCHAR(16)    NOT NULL,
    quantity            INTEGER        NOT NULL,
    order_value         NUMERIC(38, 12) NOT NULL,
    currency            VARCHAR(3)     NOT NULL,
    fulfillable         BOOLEAN        NOT NULL,
    stock_level         INTEGER        NOT NULL,
    inventory_version   BIGINT         NOT NULL,
    customer_event_time TIMESTAMP WITH TIME ZONE NOT NULL,
    merged_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    latency_ms          BIGINT         NOT NULL,
    source_topic        VARCHAR(256)   NOT NULL,
    source_partition    INTEGER        NOT NULL,
    source_offset       BIGINT         NOT NULL,
    payload             VARCHAR(1000000) NOT NULL
);

-- pages by customer or product (keyset on event_id), recent throughput/latency, low stock per product
CREATE INDEX merged_records_customer ON merged_records (customer_id, event_id);
CREATE INDEX merged_records_product ON merged_records (product_id, inventory_version);
CREATE INDEX merged_records_stored_at ON merged_records (stored_at);
