package io.github.camelbundle.generator;

import java.math.BigDecimal;

/** One entry of the seeded catalog both generators share. */
public record Product(String productId, String sku, String name, String category, BigDecimal price,
                      String currency, String warehouse, int initialStock) {
}
