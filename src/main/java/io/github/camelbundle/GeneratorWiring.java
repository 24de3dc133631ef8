package io.github.camelbundle;

import io.github.camelbundle.generator.CustomerEventGenerator;
import io.github.camelbundle.generator.InventoryGenerator;
import io.github.camelbundle.generator.ProductCatalog;
import org.apache.camel.spi.Registry;

/** The beans of the generators role (generators.camel.yaml). */
final class GeneratorWiring {

    private GeneratorWiring() {
    }

    static void bind(Registry registry, Settings s) {
        ProductCatalog catalog = new ProductCatalog(s.integer("generator.products"), s.longValue("generator.seed"));
        registry.bind("customerEventGenerator", new CustomerEventGenerator(catalog,
                s.decimal("generator.customers.rate-per-second"), s.integer("generator.max-per-tick"),
                s.longValue("generator.customers.limit"), s.integer("generator.customers.count")));
        registry.bind("inventoryGenerator", new InventoryGenerator(catalog,
                s.decimal("generator.inventory.rate-per-second"), s.integer("generator.max-per-tick"),
                s.longValue("generator.inventory.limit")));
    }
}
