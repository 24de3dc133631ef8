package io.github.camelbundle.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.FreePorts;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * 500 binds of port 0 in a row return some port twice almost always (a birthday effect among ~28,000
     * ephemeral ports; 20 runs out of 20 here); the embedded broker once got the same port for both of its
     * listeners that way and refused to start.
     */
    @Test
    void neverHandsOutAPortTwice() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePorts.next();
            assertTrue(ports.add(port), "port " + port + " handed out twice");
        }
        assertEquals(500, ports.size());
        // and a port handed out is free: it can be bound
        int port = FreePorts.next();
        try (ServerSocket socket = new ServerSocket(port)) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
