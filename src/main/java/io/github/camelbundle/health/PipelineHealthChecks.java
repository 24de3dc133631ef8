package io.github.camelbundle.health;

import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The readiness checks a person needs to see why the pipeline is not ready, each with a message
 * that says so: the Kafka broker answers, the merge consumer has partitions assigned, the analytics
 * database answers. All recover by themselves, so none is a liveness check. Messages name no host:
 * anyone who reaches the management port reads them; URLs go to the details (see HealthExposure).
 */
public final class PipelineHealthChecks {

    private PipelineHealthChecks() {
    }

    public static HealthCheck broker(KafkaObserver observer, String brokers) {
        return readiness("kafka-broker", builder -> {
            if (observer.brokerReachable(Duration.ofSeconds(2))) {
                builder.up().message("Kafka answers");
            } else {
                builder.down().message("Kafka does not answer; producers and consumers retry "
                        + "by themselves and nothing is committed meanwhile");
            }
            // shown only with ?data=true where observe.health.expose-details=true (HealthExposure)
            builder.detail("kafka.brokers", brokers);
        });
    }

    public static HealthCheck mergeConsumerAssigned(MeteredKafkaClientFactory clients, String groupId) {
        return readiness("merge-consumer", builder -> {
            int assigned = clients.assignedPartitions(groupId);
            if (assigned > 0) {
                builder.up().message("merge consumer holds " + assigned + " partitions of group " + groupId);
            } else {
                builder.down().message("merge consumer of group " + groupId + " has no partitions assigned yet "
                        + "(joining the group, or the broker is unreachable)");
            }
        });
    }

    public static HealthCheck database(DataSource dataSource, String url) {
        return readiness("analytics-database", builder -> {
            try (Connection c = dataSource.getConnection()) {
                if (c.isValid(2)) {
                    builder.up().message("analytics database answers");
                    return;
                }
                builder.down().message("analytics database does not answer");
            } catch (Exception e) {
                // the driver's text names the host: it goes to the error, which HealthExposure hides unless configured
                builder.down().message("analytics database is unreachable").error(e);
            } finally {
                builder.detail("analytics.datasource.url", url);
            }
        });
    }

    private static HealthCheck readiness(String id, java.util.function.Consumer<HealthCheckResultBuilder> check) {
        return new AbstractHealthCheck("pipeline", id) {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                check.accept(builder);
            }
        };
    }

}
