package io.github.camelbundle.delivery;

/** Delivery is stopped (the API refused our key): the batch is not retried, and nothing is dead-lettered. */
public class DeliveryStoppedException extends Exception {

    public DeliveryStoppedException(String message) {
        super(message);
    }
}
