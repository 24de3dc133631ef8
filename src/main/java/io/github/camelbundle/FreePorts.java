package io.github.camelbundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports (free on every interface: the HTTP servers bind 0.0.0.0), each handed out at most once
 * per JVM. Two binds of port 0 in a row can return the same port (among ~28,000 ephemeral ports, 500
 * binds in a row repeat one almost always), and the embedded broker once got one port for both of its
 * listeners and refused to start; so a port already handed out is never handed out again.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 100;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that was not handed out already after " + ATTEMPTS + " tries");
    }
}
