package io.github.camelbundle.model;

/** Where a customer event was read from: lets anyone trace a stored record back to Kafka. */
public record SourceRef(String topic, Integer partition, Long offset) {
}
