package io.github.camelbundle;

import org.apache.camel.support.service.ServiceSupport;

/** Closes a resource when the Camel context stops, after the routes have stopped. */
final class Closing extends ServiceSupport {

    private final AutoCloseable resource;

    Closing(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
