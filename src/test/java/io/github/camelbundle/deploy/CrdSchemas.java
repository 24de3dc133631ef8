package io.github.camelbundle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The openAPIV3Schema of every served version of the CRDs in a directory, made strict and compiled
 * as JSON Schema. Strict: a Kubernetes structural schema does not say additionalProperties: false,
 * yet the API server prunes (or, with field validation, rejects) undeclared fields; so every object
 * that declares {@code properties} gets {@code additionalProperties: false} unless it already says
 * something about additional properties or keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields}).
 * A misspelt trait option then fails here instead of vanishing silently in the cluster.
 */
final class CrdSchemas {

    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

    /** CRDs leave metadata to the API server ({@code type: object}); this is the part of ObjectMeta a manifest may set. */
    private static final String OBJECT_META = """
            type: object
            required: [name]
            properties:
              name:
                type: string
                maxLength: 253
                pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
              namespace: { type: string }
              labels: { type: object, additionalProperties: { type: string } }
              annotations: { type: object, additionalProperties: { type: string } }
            """;

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    // Kubernetes' own keywords: meaningful to the API server, nothing to check here
                    .keywords(Stream.of(PRESERVE_UNKNOWN, "x-kubernetes-int-or-string", "x-kubernetes-list-type",
                                    "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
                                    "x-kubernetes-embedded-resource", "nullable")
                            .map(NonValidationKeyword::new).map(k -> (com.networknt.schema.Keyword) k).toList())
                    .build()));

    private final Path directory;
    private final Map<String, JsonNode> schemas = new LinkedHashMap<>();
    private final Map<String, JsonSchema> compiled = new HashMap<>();

    private CrdSchemas(Path directory) {
        this.directory = directory;
    }

    static CrdSchemas load(Path crdDirectory) {
        CrdSchemas crds = new CrdSchemas(crdDirectory);
        try (Stream<Path> files = Files.list(crdDirectory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : Deployment.documents(file)) {
                    if (!"CustomResourceDefinition".equals(doc.path("kind").asText())) {
                        continue;
                    }
                    String group = doc.path("spec").path("group").asText();
                    String kind = doc.path("spec").path("names").path("kind").asText();
                    for (JsonNode version : doc.path("spec").path("versions")) {
                        if (version.path("served").asBoolean(false)) {
                            JsonNode schema = version.path("schema").path("openAPIV3Schema");
                            crds.schemas.put(key(group + "/" + version.path("name").asText(), kind), strict(schema));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + crdDirectory, e);
        }
        return crds;
    }

    /** The schema violations of one manifest, each starting with its JSONPath ($.spec...); empty when it is valid. */
    List<String> validate(JsonNode manifest) {
        String key = key(manifest.path("apiVersion").asText(), manifest.path("kind").asText());
        JsonNode schema = schemas.get(key);
        if (schema == null) {
            return List.of("no served CRD version in " + directory + " for apiVersion '" + manifest.path("apiVersion").asText()
                    + "' kind '" + manifest.path("kind").asText() + "' (known: " + schemas.keySet() + ")");
        }
        JsonSchema compiledSchema = compiled.computeIfAbsent(key, k -> FACTORY.getSchema(schema));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : compiledSchema.validate(manifest)) {
            errors.add(message.getMessage()); // "$.spec.x: what is wrong"
        }
        errors.sort(Comparator.naturalOrder());
        return errors;
    }

    /** A strict copy of a CRD schema: undeclared properties are errors, metadata is checked too. */
    static JsonNode strict(JsonNode crdSchema) {
        ObjectNode copy = crdSchema.deepCopy();
        ObjectNode properties = (ObjectNode) copy.get("properties");
        if (properties != null && properties.has("metadata")) {
            try {
                properties.set("metadata", Deployment.YAML.readTree(OBJECT_META));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        closeObjects(copy);
        return copy;
    }

    private static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if (node.has("properties") && !node.has("additionalProperties") && !node.path(PRESERVE_UNKNOWN).asBoolean(false)) {
            node.put("additionalProperties", false);
        }
        node.path("properties").forEach(CrdSchemas::closeObjects);
        closeObjects(node.get("items"));
        closeObjects(node.get("additionalProperties"));
        // allOf/anyOf/oneOf/not are left open: in a structural schema they only restate fields the
        // enclosing schema declares, so closing one of them would reject its siblings' fields
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }
}
