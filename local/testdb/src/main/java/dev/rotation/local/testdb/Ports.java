package dev.rotation.local.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ephemeral ports for throwaway servers. */
final class Ports {
    private Ports() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process may take it before the server binds
     * it; callers retry with a new port when the server reports the address in use.
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
