package io.github.camelbundle.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The bench command's options: {@code bench [--warmup=15] [--measure=60] [--rate=0] [--broker=inproc|external] ...}. */
record BenchOptions(int warmupSeconds, int measureSeconds, double rate, double inventoryRate, String broker,
                    int products, int drainSeconds, int sampleSeconds, String store, String sink, boolean idle,
                    String scenario, int waiting) {

    static final String STEADY = "steady";
    static final String LATE_INVENTORY = "late-inventory";

    static BenchOptions parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("warmup", "15", "measure", "60", "rate", "0",
                "inventory-rate", "1000", "broker", "inproc", "drain", "120", "sample", "10"));
        // steady: generators at --rate, a measured window; late-inventory (issue 18): --waiting events park,
        // then their inventory releases them all at once (generators off; --drain bounds each phase)
        o.put("scenario", STEADY);
        o.put("waiting", "50000");
        // the catalog: 10,000 products for steady, 5,000 for late-inventory unless given
        o.put("products", "");
        // the analytics store: h2 (a fresh file per run) or a JDBC URL (user and password as for the app)
        o.put("store", "h2");
        // where delivery goes: the analytics API and its store, or a sink that parses and counts (the
        // integration path alone, as the reference pipeline's sink)
        o.put("sink", "store");
        // idle: the generators at the application's own (default) rates, as a newcomer runs it
        o.put("idle", "false");
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=") || !o.containsKey(arg.substring(2, arg.indexOf('=')))) {
                throw new IllegalArgumentException("unknown option " + arg + "; options: " + o.keySet().stream()
                        .map(k -> "--" + k + "=" + o.get(k)).toList());
            }
            o.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String broker = o.get("broker");
        if (!broker.equals("inproc") && !broker.equals("external")) {
            throw new IllegalArgumentException("--broker must be inproc or external, was " + broker);
        }
        String sink = o.get("sink");
        if (!sink.equals("store") && !sink.equals("count")) {
            throw new IllegalArgumentException("--sink must be store or count, was " + sink);
        }
        String scenario = o.get("scenario");
        if (!scenario.equals(STEADY) && !scenario.equals(LATE_INVENTORY)) {
            throw new IllegalArgumentException("--scenario must be steady or late-inventory, was " + scenario);
        }
        int products = !o.get("products").isEmpty() ? Integer.parseInt(o.get("products"))
                : scenario.equals(LATE_INVENTORY) ? 5000 : 10000;
        return new BenchOptions(Integer.parseInt(o.get("warmup")), Integer.parseInt(o.get("measure")),
                Double.parseDouble(o.get("rate")), Double.parseDouble(o.get("inventory-rate")), broker,
                products, Integer.parseInt(o.get("drain")), Integer.parseInt(o.get("sample")),
                o.get("store"), sink, Boolean.parseBoolean(o.get("idle")), scenario, Integer.parseInt(o.get("waiting")));
    }

    boolean lateInventory() {
        return scenario.equals(LATE_INVENTORY);
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        if (lateInventory()) {
            // no generators, no window: the rates and the warm-up do not apply
            m.put("waiting", waiting);
            m.put("drainSeconds", drainSeconds);
        } else {
            m.put("warmupSeconds", warmupSeconds);
            m.put("measureSeconds", measureSeconds);
            m.put("rate", idle ? "application default" : rate);
            m.put("inventoryRate", idle ? "application default" : inventoryRate);
            m.put("idle", idle);
        }
        m.put("sink", sink);
        m.put("broker", broker);
        m.put("products", products);
        m.put("store", store.startsWith("jdbc:") ? store.replaceAll("//[^/@]*@", "//") : store);
        return m;
    }
}
