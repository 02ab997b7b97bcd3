package dev.rotation.testkit.inmemory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of an in-memory "database server": users with their passwords (null: exists, cannot log
 * in), which users may administer others, and the pair memberships the engine keeps. Thread-safe.
 */
final class InMemoryServer {
    static final String HOST = "in-memory.invalid";
    static final int PORT = 6543;

    /** User name to password; a present key with a null value is a user nobody can log in as. */
    final Map<String, java.util.Optional<String>> users = new ConcurrentHashMap<>();
    /** Users who may administer others (the masters). */
    final Set<String> administrators = ConcurrentHashMap.newKeySet();
    /** Other user to the user whose privileges it holds (what synchronizePrivileges records). */
    final Map<String, String> privilegesOf = new ConcurrentHashMap<>();
    final Set<String> databases = ConcurrentHashMap.newKeySet();

    boolean accepts(String username, String password) {
        java.util.Optional<String> known = users.get(username);
        return known != null && known.isPresent() && known.get().equals(password);
    }

    static final InMemoryServer SHARED = new InMemoryServer();
}
