package io.github.camelbundle.merge;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * One group per waiting event: the group keeps the parked event; a release signal, or the same event
 * read again after a crash, adds nothing to it.
 */
public class ParkingStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange parked, Exchange incoming) {
        if (parked == null) {
            return incoming;
        }
        if (parked.getMessage().getBody() == null && incoming.getMessage().getBody() != null) {
            parked.getMessage().setBody(incoming.getMessage().getBody());
        }
        return parked;
    }
}
