package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every manifest under camel-k/ against the real CRD schemas in ../shared/camel-k-crds (made strict). */
class CamelKCrdValidationTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static CrdSchemas crds;

    @BeforeAll
    static void loadCrds() {
        crds = CrdSchemas.load(Deployment.crdDirectory(BASEDIR));
    }

    /**
     * The kustomize base's resource files (camel-k/base/kustomization.yaml resources). The overlays'
     * rendered output, with their patches applied, is validated by KustomizeOverlaysTest.
     */
    static List<Path> manifestFiles() {
        Path base = BASEDIR.resolve(CamelKManifests.BASE_DIR);
        List<Path> files = new ArrayList<>();
        Deployment.documents(base.resolve("kustomization.yaml")).get(0).path("resources")
                .forEach(r -> files.add(base.resolve(r.asText())));
        return files;
    }

    @Test
    void everyManifestValidatesAgainstItsCrd() throws IOException {
        Map<String, List<String>> failures = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        for (Path file : manifestFiles()) {
            List<JsonNode> docs = Deployment.documents(file);
            for (int i = 0; i < docs.size(); i++) {
                JsonNode doc = docs.get(i);
                kinds.merge(doc.path("kind").asText(), 1, Integer::sum);
                List<String> errors = crds.validate(doc);
                if (!errors.isEmpty()) {
                    failures.put(BASEDIR.relativize(file) + " document " + (i + 1) + " (" + doc.path("metadata").path("name").asText() + ")", errors);
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> "manifests that the cluster would reject or silently prune:\n"
                + failures.entrySet().stream().map(e -> e.getKey() + "\n    " + String.join("\n    ", e.getValue()))
                        .collect(Collectors.joining("\n")));
        // what the base must hold at least, so that this test cannot pass on an empty folder
        assertEquals(Deployment.Roles.load(BASEDIR).roles().size(), kinds.getOrDefault("Integration", 0), "one Integration per role: " + kinds);
        assertEquals(4, kinds.getOrDefault("KafkaTopic", 0), "the contract's four topics: " + kinds);
    }

    @Test
    void unknownFieldIsRejected() {
        JsonNode pipeline = integration("pipeline");
        assertEquals(List.of(), crds.validate(pipeline), "the checked-in pipeline Integration is valid to begin with");

        ObjectNode misspeltTrait = pipeline.deepCopy();
        ((ObjectNode) misspeltTrait.at("/spec/traits/health")).put("livenessPath", "/observe/health/live");
        assertRejected(misspeltTrait, "$.spec.traits.health", "livenessPath");

        ObjectNode unknownSpecField = pipeline.deepCopy();
        ((ObjectNode) unknownSpecField.at("/spec")).put("replica", 3);
        assertRejected(unknownSpecField, "$.spec", "replica");

        ObjectNode misspeltMetadata = pipeline.deepCopy();
        ((ObjectNode) misspeltMetadata.at("/metadata")).putObject("lables").put("app", "x");
        assertRejected(misspeltMetadata, "$.metadata", "lables");
    }

    @Test
    void kafkaTopicRejectsUnknownSpecFieldsButKeepsFreeFormConfig() {
        JsonNode topic = Deployment.documents(BASEDIR.resolve(CamelKManifests.BASE_DIR + "/kafka-topics.yaml")).get(0);

        ObjectNode freeFormConfig = topic.deepCopy();
        ((ObjectNode) freeFormConfig.at("/spec/config")).put("cleanup.policy", "compact");
        assertEquals(List.of(), crds.validate(freeFormConfig), "spec.config preserves unknown fields: any topic config is allowed");

        ObjectNode unknownField = topic.deepCopy();
        ((ObjectNode) unknownField.at("/spec")).put("partition", 3);
        assertRejected(unknownField, "$.spec", "partition");
    }

    @Test
    void wrongTypesAndInvalidNamesAreRejected() {
        ObjectNode wrongType = integration("pipeline").deepCopy();
        ((ObjectNode) wrongType.at("/spec")).put("replicas", "three");
        assertRejected(wrongType, "$.spec.replicas", "integer");

        ObjectNode invalidName = Deployment.documents(BASEDIR.resolve(CamelKManifests.BASE_DIR + "/kafka-topics.yaml")).get(0).deepCopy();
        ((ObjectNode) invalidName.at("/metadata")).put("name", "Customer_Data");
        assertRejected(invalidName, "$.metadata.name", "pattern");
    }

    @Test
    void aKindWithoutCrdIsReported() {
        ObjectNode deployment = Deployment.YAML.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        deployment.putObject("metadata").put("name", "x");
        List<String> errors = crds.validate(deployment);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("no served CRD version") && errors.get(0).contains("Deployment"), errors::toString);
    }

    @Test
    void missingSharedCrdsFailWithAClearMessage(@TempDir Path checkout) throws IOException {
        Path repo = Files.createDirectory(checkout.resolve("customer-inventory-bundle"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> Deployment.crdDirectory(repo));
        assertTrue(missing.getMessage().contains(checkout.resolve("shared/camel-k-crds").toString()), missing.getMessage());
        assertTrue(missing.getMessage().contains("cloned beside this repository"), missing.getMessage());
    }

    private static JsonNode integration(String role) {
        return Deployment.documents(BASEDIR.resolve(CamelKManifests.integrationFile(role))).get(0);
    }

    private static void assertRejected(JsonNode manifest, String location, String mentioning) {
        List<String> errors = new ArrayList<>(crds.validate(manifest));
        assertFalse(errors.isEmpty(), "expected a schema error at " + location + " about " + mentioning);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(location) && e.contains(mentioning)),
                () -> "expected an error at " + location + " mentioning '" + mentioning + "', got " + errors);
    }
}
