package io.github.camelbundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The roles this process runs ({@code bundle.roles}: generators, pipeline, analytics; default all) and
 * the route files that belong to them, from the one role table, camel-k/roles.yaml (packaged in the jar
 * as bundle/roles.yaml; the Camel K manifests are generated from the same table).
 */
public final class BundleRoles {

    public static final String GENERATORS = "generators";
    public static final String PIPELINE = "pipeline";
    public static final String ANALYTICS = "analytics";

    private final Set<String> active;
    private final List<String> routeFiles;

    private BundleRoles(Set<String> active, List<String> routeFiles) {
        this.active = active;
        this.routeFiles = routeFiles;
    }

    /** @param roles the comma list of {@code bundle.roles}; blank means every role */
    @SuppressWarnings("unchecked")
    public static BundleRoles of(String roles) {
        Map<String, Object> table;
        try (InputStream in = BundleRoles.class.getResourceAsStream("/bundle/roles.yaml")) {
            if (in == null) {
                throw new IllegalStateException("bundle/roles.yaml is missing from the classpath");
            }
            table = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, Object>> known = (Map<String, Map<String, Object>>) table.get("roles");
        Set<String> active = new LinkedHashSet<>();
        for (String role : (roles == null || roles.isBlank() ? String.join(",", known.keySet()) : roles).split(",")) {
            String name = role.trim();
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException("bundle.roles: unknown role '" + name + "', known are " + known.keySet());
            }
            active.add(name);
        }
        Set<String> files = new LinkedHashSet<>();
        for (String role : active) {
            files.addAll((List<String>) known.get(role).get("routes"));
        }
        files.addAll((List<String>) table.get("everyRole"));
        return new BundleRoles(active, new ArrayList<>(files));
    }

    public boolean runs(String role) {
        return active.contains(role);
    }

    public Set<String> active() {
        return active;
    }

    /** The route files of the active roles, e.g. merge.camel.yaml. */
    public List<String> routeFiles() {
        return routeFiles;
    }

    /**
     * Camel Main's routesIncludePattern for these files under {@code location} (file:routes or
     * classpath:routes), plus any Java DSL route file there ({@code *.java}, every role loads those).
     */
    public String includePattern(String location) {
        List<String> patterns = new ArrayList<>();
        for (String file : routeFiles) {
            patterns.add(location + "/" + file);
        }
        patterns.add(location + "/*.java");
        return String.join(",", patterns);
    }
}
