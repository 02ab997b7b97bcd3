package dev.rotation.testkit.faults;

import dev.rotation.shared.AdminChanges;
import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.PasswordChange;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/** The alternating-users administration under test, each of its calls a {@link FaultInjector} position. */
public final class FaultyUserAdministration implements UserAdministration {
    private final UserAdministration delegate;
    private final FaultInjector injector;

    public FaultyUserAdministration(UserAdministration delegate, FaultInjector injector) {
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
    public boolean currentUserExists(AdminRequest request) throws SQLException {
        return around("userExists", request.admin(), () -> delegate.currentUserExists(request));
    }

    @Override
    public void requireManageable(AdminRequest request) throws SQLException {
        around("requireManageable", request.admin(), () -> {
            delegate.requireManageable(request);
            return null;
        });
    }

    @Override
    public AdminChanges ensureUser(AdminRequest request) throws SQLException {
        return around("ensureUser", request.admin(), () -> delegate.ensureUser(request));
    }

    @Override
    public AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException {
        return around("synchronizePrivileges", request.admin(), () -> delegate.synchronizePrivileges(request));
    }

    @Override
    public PasswordChange setPassword(AdminRequest request, String newPassword) throws SQLException {
        return around("setPassword", request.admin(), () -> delegate.setPassword(request, newPassword));
    }
}
