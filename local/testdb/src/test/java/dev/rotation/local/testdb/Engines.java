package dev.rotation.local.testdb;

import java.util.stream.Stream;

/** Parameter source for tests that run against both shared servers; the servers start on first use. */
final class Engines {
    private Engines() {
    }

    static Stream<String> names() {
        return Stream.of("mysql", "postgres");
    }

    static TestDatabase shared(String name) {
        return name.equals("mysql") ? TestDatabases.mysql() : TestDatabases.postgres();
    }
}
