package dev.rotation.shared.faults;

import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.secret.DatabaseSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * The engine under test with every login and password change as a {@link FaultInjector} call
 * position, and every connection it opens wrapped by {@link FaultyJdbc}, so statements count too.
 */
final class FaultyEngine implements DatabaseEngine {
    private final DatabaseEngine delegate;
    private final FaultInjector injector;

    FaultyEngine(DatabaseEngine delegate, FaultInjector injector) {
        this.delegate = delegate;
        this.injector = injector;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<String> secretEngines() {
        return delegate.secretEngines();
    }

    @Override
    public int defaultPort() {
        return delegate.defaultPort();
    }

    @Override
    public String defaultExcludedCharacters() {
        return delegate.defaultExcludedCharacters();
    }

    @Override
    public Connection connect(DatabaseSecret secret, Tls tls, ConnectionSettings settings) throws SQLException {
        Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "connect");
        if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
            throw new java.sql.SQLNonTransientConnectionException("Communications link failure (injected fault)",
                    "08S01");
        }
        Connection connection = delegate.connect(secret, tls, settings);
        if (fault.isPresent()) {
            throw FaultyJdbc.linkFailure(connection);
        }
        return FaultyJdbc.wrap(connection, injector);
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        return delegate.classify(failure);
    }

    @Override
    public void changeOwnPassword(Connection connection, DatabaseSecret secret, String newPassword) throws SQLException {
        Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "changeOwnPassword");
        if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
            throw FaultyJdbc.linkFailure(connection);
        }
        delegate.changeOwnPassword(connection, secret, newPassword);
        if (fault.isPresent()) {
            throw FaultyJdbc.linkFailure(connection);
        }
    }

    @Override
    public String toString() {
        return "Faulty(" + delegate + ")";
    }
}
