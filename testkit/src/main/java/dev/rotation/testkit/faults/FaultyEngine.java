package dev.rotation.testkit.faults;

import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.ConnectRequest;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.EngineDescription;
import dev.rotation.shared.PasswordChange;
import dev.rotation.shared.PasswordChangeRequest;
import dev.rotation.secret.DatabaseSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * The engine under test with every login and password change as a {@link FaultInjector} call
 * position, and every connection it opens wrapped by {@link FaultyJdbc}, so statements count too.
 */
public final class FaultyEngine implements DatabaseEngine {
    private final DatabaseEngine delegate;
    private final FaultInjector injector;

    public FaultyEngine(DatabaseEngine delegate, FaultInjector injector) {
        this.delegate = delegate;
        this.injector = injector;
    }

    @Override
    public EngineDescription description() {
        return delegate.description();
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "connect");
        if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
            throw new java.sql.SQLNonTransientConnectionException("Communications link failure (injected fault)",
                    "08S01");
        }
        Connection connection = delegate.connect(request);
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
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        Connection connection = request.connection();
        Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "changeOwnPassword");
        if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
            throw FaultyJdbc.linkFailure(connection);
        }
        PasswordChange change = delegate.changeOwnPassword(request);
        if (fault.isPresent()) {
            throw FaultyJdbc.linkFailure(connection);
        }
        return change;
    }

    @Override
    public String toString() {
        return "Faulty(" + delegate + ")";
    }
}
