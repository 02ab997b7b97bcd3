package dev.rotation.testkit;

import java.util.List;

/**
 * A server an attacker runs on the network path: it speaks just enough of a database's wire protocol
 * to make a client talk, and records what it learns. The attack tests assert that the functions hand
 * it nothing.
 */
public interface FakeServer extends AutoCloseable {

    String host();

    int port();

    /** How many TCP connections clients opened. */
    int connections();

    /** The user names clients tried to log in as, in order. */
    List<String> usernames();

    /** Every password the server recovered in plain text, in order (never print them). */
    List<String> recoveredPasswords();

    @Override
    void close();
}
