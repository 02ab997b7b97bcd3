package dev.rotation.shared.faults;

import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The alternating-users administration under test, each of its calls a {@link FaultInjector} position. */
final class FaultyUserAdministration implements UserAdministration {
    private final UserAdministration delegate;
    private final FaultInjector injector;

    FaultyUserAdministration(UserAdministration delegate, FaultInjector injector) {
        this.delegate = delegate;
        this.injector = injector;
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    private <T> T around(String name, Connection admin, SqlCall<T> call) throws SQLException {
        Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "admin." + name);
        if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
            throw FaultyJdbc.linkFailure(admin);
        }
        T result = call.run();
        if (fault.isPresent()) {
            throw FaultyJdbc.linkFailure(admin);
        }
        return result;
    }

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return delegate.usernameLimit(environment);
    }

    @Override
    public boolean userExists(Connection admin, String username) throws SQLException {
        return around("userExists", admin, () -> delegate.userExists(admin, username));
    }

    @Override
    public void requireManageable(Connection admin, String currentUser, String otherUser, String masterUser)
            throws SQLException {
        around("requireManageable", admin, () -> {
            delegate.requireManageable(admin, currentUser, otherUser, masterUser);
            return null;
        });
    }

    @Override
    public boolean ensureUser(Connection admin, String likeUser, String username, Consumer<String> log)
            throws SQLException {
        return around("ensureUser", admin, () -> delegate.ensureUser(admin, likeUser, username, log));
    }

    @Override
    public void synchronizePrivileges(Connection admin, String source, String target, Consumer<String> log)
            throws SQLException {
        around("synchronizePrivileges", admin, () -> {
            delegate.synchronizePrivileges(admin, source, target, log);
            return null;
        });
    }

    @Override
    public void setPassword(Connection admin, String username, String password) throws SQLException {
        around("setPassword", admin, () -> {
            delegate.setPassword(admin, username, password);
            return null;
        });
    }
}
