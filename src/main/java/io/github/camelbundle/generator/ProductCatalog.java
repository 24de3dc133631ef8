package io.github.camelbundle.generator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic catalog of products: the same seed and size give the same products in every
 * process, so separately started customer and inventory generators name the same product ids.
 */
public final class ProductCatalog {

    private static final String[] ADJECTIVES = {"Compact", "Deluxe", "Eco", "Smart", "Classic", "Ultra",
        "Portable", "Wireless", "Heavy-Duty", "Premium", "Essential", "Pro"};
    private static final String[] NOUNS = {"Kettle", "Headphones", "Backpack", "Desk Lamp", "Blender",
        "Monitor", "Keyboard", "Water Bottle", "Tent", "Drill", "Coffee Grinder", "Office Chair", "Speaker",
        "Running Shoes", "Cookware Set"};
    private static final String[] CATEGORIES = {"Kitchen", "Electronics", "Outdoors", "Office", "Tools",
        "Sports", "Home"};
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};
    private static final String[] WAREHOUSES = {"WH-NYC-01", "WH-DAL-02", "WH-FRA-01", "WH-DUB-02",
        "WH-SIN-01", "WH-SYD-01", "WH-SAO-01"};

    private final List<Product> products;

    public ProductCatalog(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("generator.products must be >= 1, was " + size);
        }
        Random random = new Random(seed);
        List<Product> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String id = String.format("P%06d", i + 1);
            String noun = NOUNS[random.nextInt(NOUNS.length)];
            String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + noun;
            // prices from 1.99 to 999.99, always two decimals
            BigDecimal price = BigDecimal.valueOf(199 + random.nextInt(99_800), 2);
            list.add(new Product(id,
                    "SKU-" + noun.substring(0, 3).toUpperCase() + "-" + String.format("%06d", i + 1),
                    name,
                    CATEGORIES[random.nextInt(CATEGORIES.length)],
                    price,
                    CURRENCIES[random.nextInt(CURRENCIES.length)],
                    WAREHOUSES[random.nextInt(WAREHOUSES.length)],
                    random.nextInt(500)));
        }
        this.products = List.copyOf(list);
    }

    public int size() {
        return products.size();
    }

    public Product get(int index) {
        return products.get(index);
    }
}
