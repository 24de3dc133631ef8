-- Pages by customer or product read through an index on that column alone; the rows it finds (tens
-- to a few thousand per customer or product) are sorted by event id for the page. Measured on H2
-- (StoreBench, 400,000 records, batches of 1,000): (customer_id, event_id) and (product_id, event_id)
-- cost 15,000 records/s stored, the single-column indexes 25,000: each composite key repeats the
-- event id, which makes every insert, and every commit's re-check of it, compare and copy twice the
-- bytes. Portable between H2 and PostgreSQL.
DROP INDEX merged_records_customer;
DROP INDEX merged_records_product;
CREATE INDEX merged_records_customer ON merged_records (customer_id);
CREATE INDEX merged_records_product ON merged_records (product_id);
