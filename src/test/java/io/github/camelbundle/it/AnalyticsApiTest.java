package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The analytics API over real HTTP, on the real H2 store, with the pipeline's generators off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsApiTest {

    RunningBundle bundle;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The store's settings; the PostgreSQL variant of this test returns its own. */
    protected Map<String, String> storeProperties() throws Exception {
        return Map.of();
    }

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        Map<String, String> props = new java.util.HashMap<>(Map.of("generator.enabled", "false"));
        props.putAll(storeProperties());
        bundle = RunningBundle.start(data, props);
    }

    @AfterAll
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    static MergedRecord record(String eventId, String product, String region, int quantity, String price, String currency) {
        return record(eventId, product, region, Tier.SILVER, quantity, price, currency, 4, 3L,
                Instant.parse("2026-03-01T10:00:00Z"));
    }

    static MergedRecord record(String eventId, String product, String region, Tier tier, int quantity, String price,
                               String currency, int stock, long version, Instant eventTime) {
        CustomerEvent c = new CustomerEvent(eventId, "C-" + eventId, "Ada", "ada@example.com", tier,
                Region.valueOf(region), product, quantity, eventTime, Map.of());
        InventoryRecord p = new InventoryRecord(product, "SKU", "Kettle", "Kitchen", new BigDecimal(price), currency, stock,
                "WH-1", version, eventTime, Map.of());
        return MergedRecord.of(c, p, new SourceRef("customer-data", 0, 1L), eventTime);
    }

    /**
     * A varied batch: 12 products (sums per product tie often), every region and tier, three
     * currencies, stock levels around the low-stock threshold, event times up to ~17 minutes old.
     */
    static ArrayNode variedBatch(String prefix, int size, long version) {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        Instant now = Instant.now();
        String[] currencies = {"EUR", "USD", "JPY"};
        for (int i = 0; i < size; i++) {
            int stock = (int) ((i * 7 + version * 3) % 25);
            batch.add(Json.MAPPER.valueToTree(record(prefix + i, "V" + (i * 5 % 12), Region.values()[i % 4].name(),
                    Tier.values()[i / 4 % 4], 1 + i % 9, (1 + i % 13) + "." + (i % 100), currencies[i % 3], stock,
                    version + i % 2, now.minusMillis(i * 3_389L))));
        }
        return batch;
    }

    protected javax.sql.DataSource storeDataSource() {
        return bundle.context().getRegistry().lookupByNameAndType("analyticsStore",
                io.github.camelbundle.analytics.AnalyticsStore.class).dataSource();
    }

    /** The summary over HTTP, checked against the rows stored; returns it. */
    JsonNode summaryMatchingTheRows() throws Exception {
        Instant before = Instant.now();
        JsonNode summary = json(bundle.get(bundle.baseUrl() + "/analytics/summary"));
        SummaryOracle.assertMatchesRows(storeDataSource(), summary, before, Instant.now(), 10);
        return summary;
    }

    /** The summary without its time windows, which move by themselves. */
    static JsonNode timeless(JsonNode summary) {
        ObjectNode copy = summary.deepCopy();
        copy.remove("throughput");
        return copy;
    }

    @Test
    void summaryEqualsTheStoredRowsWhetherFoldedOrPendingAndReplaysChangeNothing() throws Exception {
        javax.sql.DataSource ds = storeDataSource();
        ArrayNode first = variedBatch("fold-a-", 400, 5);
        assertEquals(400, json(post(first.toString(), "application/json", RunningBundle.API_KEY)).get("accepted").asInt());
        RunningBundle.await("the folder to fold every delta", java.time.Duration.ofSeconds(30),
                () -> unchecked(() -> SummaryOracle.foldState(ds)[0] == 0));
        JsonNode folded = summaryMatchingTheRows();

        // hold the fold lock as another instance's folder would: the next deltas stay pending
        try (java.sql.Connection lock = ds.getConnection()) {
            lock.setAutoCommit(false);
            try (java.sql.Statement s = lock.createStatement()) {
                s.executeQuery("SELECT generation FROM summary_state WHERE id = 1 FOR UPDATE").close();
            }
            // newer inventory versions for the same products (stock levels change), and a replay
            ArrayNode second = variedBatch("fold-b-", 300, 9);
            assertEquals(300, json(post(second.toString(), "application/json", RunningBundle.API_KEY)).get("accepted").asInt());
            JsonNode replay = json(post(first.toString(), "application/json", RunningBundle.API_KEY));
            assertEquals(0, replay.get("accepted").asInt());
            assertEquals(400, replay.get("duplicates").asInt());
            long[] state = SummaryOracle.foldState(ds);
            assertTrue(state[0] > 0 && state[1] > 0, "both folded and pending rows: " + java.util.Arrays.toString(state));
            JsonNode mixed = summaryMatchingTheRows();
            assertEquals(folded.get("records").asLong() + 300, mixed.get("records").asLong());
            BigDecimal addedEur = BigDecimal.ZERO;
            for (JsonNode r : second) {
                addedEur = r.get("product").get("currency").asText().equals("EUR")
                        ? addedEur.add(r.get("orderValue").decimalValue()) : addedEur;
            }
            assertEquals(0, folded.get("orderValueByCurrency").get("EUR").decimalValue().add(addedEur)
                    .compareTo(mixed.get("orderValueByCurrency").get("EUR").decimalValue()));
            lock.rollback();

            RunningBundle.await("the folder to fold the rest", java.time.Duration.ofSeconds(30),
                    () -> unchecked(() -> SummaryOracle.foldState(ds)[0] == 0));
            JsonNode allFolded = summaryMatchingTheRows();
            assertEquals(timeless(mixed), timeless(allFolded), "folding changes no figure");

            // replays of folded records: still nothing changes
            post(first.toString(), "application/json", RunningBundle.API_KEY);
            assertEquals(300, json(post(second.toString(), "application/json", RunningBundle.API_KEY))
                    .get("duplicates").asInt());
            assertEquals(timeless(allFolded), timeless(summaryMatchingTheRows()));
        }
    }

    interface Check {
        boolean test() throws Exception;
    }

    static boolean unchecked(Check check) {
        try {
            return check.test();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String body, String contentType, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bundle.baseUrl() + "/analytics/data"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            b.header("X-API-Key", apiKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void aBatchWithThreeInvalidRecordsStoresTheRestAndNamesTheFields() throws Exception {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 500; i++) {
            batch.add(Json.MAPPER.valueToTree(record("b1-" + i, "P" + (i % 7), "EU", 1 + i % 3, "2.50", "EUR")));
        }
        ((ObjectNode) batch.get(10)).put("quantity", "many");
        ((ObjectNode) batch.get(20)).remove("source");
        ((ObjectNode) batch.get(30)).put("orderValue", 1_000_000);

        HttpResponse<String> response = post(batch.toString(), "application/json", RunningBundle.API_KEY);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(497, answer.get("accepted").asInt());
        assertEquals(0, answer.get("duplicates").asInt());
        assertEquals(3, answer.get("rejected").size());
        Map<Integer, String> reasons = new HashMap<>();
        answer.get("rejected").forEach(r -> reasons.put(r.get("index").asInt(), r.get("reason").asText()));
        assertTrue(reasons.get(10).startsWith("quantity"), reasons.toString());
        assertTrue(reasons.get(20).startsWith("source"), reasons.toString());
        assertTrue(reasons.get(30).startsWith("orderValue"), reasons.toString());

        // the same batch again: nothing new is stored, every valid record is a duplicate
        JsonNode replay = json(post(batch.toString(), "application/json", RunningBundle.API_KEY));
        assertEquals(0, replay.get("accepted").asInt());
        assertEquals(497, replay.get("duplicates").asInt());

        HttpResponse<String> one = bundle.getWithKey(bundle.baseUrl() + "/analytics/records/b1-1");
        assertEquals(200, one.statusCode());
        assertEquals("b1-1", json(one).get("eventId").asText());
        assertEquals("b1-1", json(one).get("customer").get("eventId").asText());
    }

    /**
     * An event id is a promise that the customer event is the same: a record that reuses a stored id
     * with another customer, product, quantity, event time, region or tier is refused (before, it was
     * counted as a silent duplicate), counted as a conflict, and the stored row is untouched; a re-read
     * of the same event merged again (other inventory, price, mergedAt, source) stays a duplicate.
     */
    @Test
    void anEventIdReusedForAnotherCustomerEventIsRefusedAndCountedAsAConflict() throws Exception {
        // nanoseconds, as Instant.now() gives them: the column rounds them to microseconds
        Instant t = Instant.parse("2026-03-01T10:00:00.123456789Z");
        MergedRecord first = record("cf-1", "P1", "EU", Tier.GOLD, 2, "3.00", "EUR", 9, 1L, t);
        MergedRecord second = record("cf-2", "P2", "NA", Tier.GOLD, 5, "1.00", "USD", 9, 1L, t);
        JsonNode stored = json(post(Json.MAPPER.writeValueAsString(List.of(first, second)), "application/json",
                RunningBundle.API_KEY));
        assertEquals(2, stored.get("accepted").asInt(), stored.toString());
        double conflictsBefore = bundle.metric("analytics_records_conflict_total");

        // cf-1 merged again with newer inventory (another price and version): the same customer event
        MergedRecord reRead = record("cf-1", "P1", "EU", Tier.GOLD, 2, "4.00", "EUR", 3, 7L, t);
        MergedRecord otherQuantity = record("cf-2", "P2", "NA", Tier.GOLD, 6, "1.00", "USD", 9, 1L, t);
        MergedRecord otherTime = record("cf-1", "P1", "EU", Tier.GOLD, 2, "3.00", "EUR", 9, 1L, t.plusMillis(1));
        MergedRecord fresh = record("cf-3", "P3", "APAC", Tier.BRONZE, 1, "2.00", "EUR", 9, 1L, t);
        // the same id twice in one batch, the second with another product
        MergedRecord freshAgain = record("cf-3", "P4", "APAC", Tier.BRONZE, 1, "2.00", "EUR", 9, 1L, t);
        JsonNode answer = json(post(Json.MAPPER.writeValueAsString(List.of(reRead, otherQuantity, otherTime, fresh,
                freshAgain)), "application/json", RunningBundle.API_KEY));
        assertEquals(1, answer.get("accepted").asInt(), answer.toString());
        assertEquals(1, answer.get("duplicates").asInt(), answer.toString());
        Map<Integer, String> reasons = new HashMap<>();
        answer.get("rejected").forEach(r -> reasons.put(r.get("index").asInt(), r.get("reason").asText()));
        assertEquals(List.of(1, 2, 4), reasons.keySet().stream().sorted().toList(), answer.toString());
        assertTrue(reasons.get(1).startsWith("eventId: cf-2 is already stored") && reasons.get(1).contains("quantity"),
                reasons.get(1));
        assertTrue(reasons.get(2).contains("eventTime"), reasons.get(2));
        assertTrue(reasons.get(4).contains("productId"), reasons.get(4));
        assertEquals(conflictsBefore + 3, bundle.metric("analytics_records_conflict_total"));
        JsonNode kept = json(bundle.getWithKey(bundle.baseUrl() + "/analytics/records/cf-2"));
        assertEquals(5, kept.get("quantity").asInt(), "the stored record is untouched");
    }

    /**
     * Records are bound straight from the streaming parser: a record whose binding stops inside a
     * nested object, and elements that are not objects, are refused alone; the record after each is
     * read from its own first brace and stored exactly as it was sent.
     */
    @Test
    void recordsOfTheWrongShapeAreRefusedAloneAndTheirNeighboursStoredAsSent() throws Exception {
        ObjectNode first = Json.MAPPER.valueToTree(record("shape-1", "P1", "EU", 2, "3.10", "EUR"));
        ObjectNode brokenInside = Json.MAPPER.valueToTree(record("shape-2", "P1", "EU", 2, "3.10", "EUR"));
        ((ObjectNode) brokenInside.get("customer")).put("tier", 7);
        ((ObjectNode) brokenInside.get("customer")).putObject("extra").putArray("deep").add(1).addObject().put("x", "}");
        ObjectNode afterBroken = Json.MAPPER.valueToTree(record("shape-3", "P2", "NA", 1, "0.99", "USD"));
        afterBroken.put("unknownField", "kept as sent");
        String body = "[ " + first + ",\n " + brokenInside + " , 42, [ {\"eventId\":\"shape-x\"} ], null,\n"
                + "   " + afterBroken + " ]";

        HttpResponse<String> response = post(body, "application/json", RunningBundle.API_KEY);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(2, answer.get("accepted").asInt(), response.body());
        Map<Integer, JsonNode> rejected = new HashMap<>();
        answer.get("rejected").forEach(r -> rejected.put(r.get("index").asInt(), r));
        assertEquals(java.util.Set.of(1, 2, 3, 4), rejected.keySet(), response.body());
        assertTrue(rejected.get(1).get("reason").asText().startsWith("customer.tier"), response.body());
        assertEquals("shape-2", rejected.get(1).get("eventId").asText());
        for (int i = 2; i <= 4; i++) {
            assertEquals("record: must be a JSON object", rejected.get(i).get("reason").asText());
            assertTrue(rejected.get(i).get("eventId").isNull());
        }
        assertEquals(afterBroken.toString(), bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-3").body());
        assertEquals(first.toString(), bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-1").body());
        assertEquals(404, bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-2").statusCode());

        // a syntax error after valid records fails the whole body and stores none of them
        HttpResponse<String> broken = post("[" + Json.MAPPER.valueToTree(record("shape-4", "P1", "EU", 2, "3.10", "EUR"))
                + ", {\"eventId\": }]", "application/json", RunningBundle.API_KEY);
        assertEquals(400, broken.statusCode(), broken.body());
        assertEquals(404, bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-4").statusCode());

        // invalid JSON inside a value (a bad escape, top level and nested) is the body's fault too: 400, nothing stored
        String valid5 = Json.MAPPER.writeValueAsString(record("shape-5", "P1", "EU", 2, "3.10", "EUR"));
        for (String badEscape : List.of(
                "[" + valid5.replace("\"eventId\":\"shape-5\"", "\"eventId\":\"shape-5\\u9\"") + "," + valid5 + "]",
                "[" + valid5.replace("\"name\":\"Ada\"", "\"name\":\"A\\u9\"") + "," + valid5 + "]")) {
            HttpResponse<String> escape = post(badEscape, "application/json", RunningBundle.API_KEY);
            assertEquals(400, escape.statusCode(), badEscape + " -> " + escape.body());
        }
        assertEquals(404, bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-5").statusCode());

        // a key repeated after every field is read (databind cannot bind it: jackson-databind#4690) is accepted,
        // as before; a number past BigDecimal's range in an unknown field is stored as sent and
        // does not break the reconciliation's reading of the pages
        String repeated = Json.MAPPER.writeValueAsString(record("shape-6", "P1", "EU", 2, "3.10", "EUR"));
        repeated = repeated.substring(0, repeated.length() - 1) + ",\"quantity\":2}";
        String huge = Json.MAPPER.writeValueAsString(record("shape-7", "P1", "EU", 2, "3.10", "EUR"));
        huge = huge.substring(0, huge.length() - 1) + ",\"x\":1e2147483648}";
        JsonNode accepted = json(post("[" + repeated + "," + huge + "]", "application/json", RunningBundle.API_KEY));
        assertEquals(2, accepted.get("accepted").asInt(), accepted.toString());
        assertEquals(2, json(bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-6")).get("quantity").asInt());
        assertEquals(huge, bundle.getWithKey(bundle.baseUrl() + "/analytics/records/shape-7").body());
        java.util.Set<String> ids = new java.util.HashSet<>();
        new io.github.camelbundle.dlq.StoredIdsOverHttp(bundle.baseUrl() + "/analytics/data", RunningBundle.API_KEY)
                .visit(ids::add);
        assertTrue(ids.containsAll(List.of("shape-1", "shape-3", "shape-6", "shape-7")), ids.size() + " ids");
    }

    /**
     * Each stored text is cut out of the body by the parser's char offsets: over a body far past the
     * parser's 32K-char buffer, with pretty-printed whitespace and characters outside the BMP, every
     * stored record is exactly the one sent under its id.
     */
    @Test
    void everyRecordOfALargeBodyIsStoredAsItsOwnText() throws Exception {
        List<ObjectNode> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ObjectNode r = Json.MAPPER.valueToTree(record("big-" + i, "P" + i % 7, "EU", 1 + i % 3, "2.50", "EUR"));
            ((ObjectNode) r.get("customer")).put("name", "Zoë 😀 Ünal " + "ж".repeat(i % 50));
            r.put("note", "x".repeat(i * 7 % 300));
            sent.add(r);
        }
        String body = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sent);
        assertTrue(body.length() > 4 * 32 * 1024, "the body spans several parser buffers: " + body.length());
        JsonNode answer = json(post(body, "application/json", RunningBundle.API_KEY));
        assertEquals(600, answer.get("accepted").asInt(), answer.toString());
        for (ObjectNode r : sent) {
            String id = r.get("eventId").asText();
            // both read by the same mapper, so the numbers compare as the same kind of node
            assertEquals(Json.MAPPER.readTree(r.toString()), json(bundle.getWithKey(bundle.baseUrl() + "/analytics/records/" + id)), id);
        }
    }

    @Test
    void clientMistakesGetTheirStatusAndStoreNothing() throws Exception {
        String valid = Json.MAPPER.writeValueAsString(record("m-1", "P1", "NA", 1, "1.00", "USD"));
        long before = json(bundle.get(bundle.baseUrl() + "/analytics/summary")).get("records").asLong();

        HttpResponse<String> noKey = post(valid, "application/json", null);
        assertEquals(401, noKey.statusCode());
        assertEquals("unauthorized", json(noKey).get("error").asText());
        assertEquals(401, post(valid, "application/json", "wrong-key").statusCode());
        assertEquals(415, post(valid, "text/plain", RunningBundle.API_KEY).statusCode());
        HttpResponse<String> malformed = post("[{\"eventId\":", "application/json", RunningBundle.API_KEY);
        assertEquals(400, malformed.statusCode());
        assertNotNull(json(malformed).get("detail"));
        assertFalse(malformed.body().contains("at io.github"), "no stack trace in a response");
        assertEquals(400, post("42", "application/json", RunningBundle.API_KEY).statusCode());
        assertEquals(404, bundle.getWithKey(bundle.baseUrl() + "/analytics/records/never-stored").statusCode());

        long after = json(bundle.get(bundle.baseUrl() + "/analytics/summary")).get("records").asLong();
        assertEquals(before, after, "no rejected request stored anything");

        HttpRequest bearer = HttpRequest.newBuilder(URI.create(bundle.baseUrl() + "/analytics/data"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + RunningBundle.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(valid)).build();
        assertEquals(1, json(HTTP.send(bearer, HttpResponse.BodyHandlers.ofString())).get("accepted").asInt());
    }

    @Test
    void oversizedBodiesAndBatchesAreRefusedWith413AndStoreNothing() throws Exception {
        long before = json(bundle.get(bundle.baseUrl() + "/analytics/summary")).get("records").asLong();
        ArrayNode tooMany = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 5001; i++) {
            tooMany.add(Json.MAPPER.valueToTree(record("big-" + i, "P1", "EU", 1, "1.00", "EUR")));
        }
        HttpResponse<String> batch = post(tooMany.toString(), "application/json", RunningBundle.API_KEY);
        assertEquals(413, batch.statusCode());
        assertEquals("batch too large", json(batch).get("error").asText());
        // 11 MiB: refused by the HTTP server before the body is read in full
        String huge = "[" + "\"x\",".repeat(11 * 1024 * 1024 / 4) + "\"x\"]";
        assertEquals(413, post(huge, "application/json", RunningBundle.API_KEY).statusCode());
        assertEquals(before, json(bundle.get(bundle.baseUrl() + "/analytics/summary")).get("records").asLong());
    }

    @Test
    void summaryFiguresEqualWhatWasStored() throws Exception {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        batch.add(Json.MAPPER.valueToTree(record("s-1", "PX", "APAC", 2, "10.10", "GBP")));
        batch.add(Json.MAPPER.valueToTree(record("s-2", "PX", "APAC", 3, "10.10", "GBP")));
        batch.add(Json.MAPPER.valueToTree(record("s-3", "PY", "LATAM", 5, "0.333", "JPY")));
        JsonNode before = json(bundle.get(bundle.baseUrl() + "/analytics/summary"));
        assertEquals(3, json(post(batch.toString(), "application/json", RunningBundle.API_KEY)).get("accepted").asInt());
        JsonNode after = json(bundle.get(bundle.baseUrl() + "/analytics/summary"));

        assertEquals(before.get("records").asLong() + 3, after.get("records").asLong());
        // 2 x 10.10 + 3 x 10.10 = 50.50 GBP, exactly; 5 x 0.333 = 1.665 JPY
        BigDecimal gbpBefore = before.path("orderValueByCurrency").path("GBP").decimalValue();
        assertEquals(0, new BigDecimal("50.50").compareTo(
                after.get("orderValueByCurrency").get("GBP").decimalValue().subtract(gbpBefore)));
        assertEquals(0, new BigDecimal("1.665").compareTo(after.get("orderValueByCurrency").get("JPY").decimalValue()));
        assertEquals(before.path("byRegion").path("APAC").asLong() + 2, after.get("byRegion").get("APAC").asLong());
        assertTrue(after.get("throughput").get("lastMinute").asLong() >= 3);
        summaryMatchingTheRows();
    }

    @Test
    void recordsArePagedByKeysetWithFilters() throws Exception {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 25; i++) {
            batch.add(Json.MAPPER.valueToTree(record("page-" + i, "PAGED", "NA", 1, "1.00", "USD")));
        }
        post(batch.toString(), "application/json", RunningBundle.API_KEY);
        int seen = 0;
        String after = "";
        for (int page = 0; page < 10 && after != null; page++) {
            JsonNode body = json(bundle.getWithKey(bundle.baseUrl() + "/analytics/records?productId=PAGED&limit=10&after=" + after));
            seen += body.get("records").size();
            body.get("records").forEach(r -> assertEquals("PAGED", r.get("product").get("productId").asText()));
            after = body.get("next").isNull() ? null : body.get("next").asText();
        }
        assertEquals(25, seen);
        assertEquals(400, bundle.getWithKey(bundle.baseUrl() + "/analytics/records?limit=abc").statusCode());
    }
}
