package dev.rotation.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The one way errors leave an engine (like Vault's error-sanitizing middleware): every call of the
 * engine and its user administration goes through here, and whatever it throws comes out with every
 * secret value the invocation knows removed from its message and from its causes' messages. SQL
 * exceptions stay SQL exceptions with their SQLState and vendor code (so {@link DatabaseEngine#classify}
 * still reads them), a {@link RotationException} stays one; anything else becomes a scrubbed stand-in
 * naming the original class. Engines therefore scrub nothing themselves.
 */
final class SanitizedEngine implements DatabaseEngine, UserAdministration {
    private final DatabaseEngine engine;
    private final UserAdministration admin;
    private final SecretScrubber scrubber;

    private SanitizedEngine(DatabaseEngine engine, UserAdministration admin, SecretScrubber scrubber) {
        this.engine = engine;
        this.admin = admin;
        this.scrubber = scrubber;
    }

    static SanitizedEngine of(DatabaseEngine engine, SecretScrubber scrubber) {
        return new SanitizedEngine(engine, null, scrubber);
    }

    /** The user administration behind the same sanitizer. */
    SanitizedEngine withAdministration(UserAdministration administration) {
        return new SanitizedEngine(engine, administration, scrubber);
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    private <T> T call(SqlCall<T> call) throws SQLException {
        try {
            return call.run();
        } catch (SQLException e) {
            throw scrubber.scrubSql(e);
        } catch (RotationException e) {
            throw new RotationException(scrubber.scrub(e.getMessage()), scrubber.scrub(e.getCause()));
        } catch (RuntimeException e) {
            throw (RuntimeException) scrubber.scrub(e);
        }
    }

    private UserAdministration admin() {
        if (admin == null) {
            throw new IllegalStateException("no user administration behind this engine");
        }
        return admin;
    }

    @Override
    public EngineDescription description() {
        return engine.description();
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        return call(() -> engine.connect(request));
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        return engine.classify(failure);
    }

    @Override
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        return call(() -> engine.changeOwnPassword(request));
    }

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        try {
            return admin().usernameLimit(environment);
        } catch (RotationException e) {
            throw new RotationException(scrubber.scrub(e.getMessage()), scrubber.scrub(e.getCause()));
        }
    }

    @Override
    public boolean currentUserExists(AdminRequest request) throws SQLException {
        return call(() -> admin().currentUserExists(request));
    }

    @Override
    public void requireManageable(AdminRequest request) throws SQLException {
        call(() -> {
            admin().requireManageable(request);
            return null;
        });
    }

    @Override
    public AdminChanges ensureUser(AdminRequest request) throws SQLException {
        return call(() -> admin().ensureUser(request));
    }

    @Override
    public AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException {
        return call(() -> admin().synchronizePrivileges(request));
    }

    @Override
    public PasswordChange setPassword(AdminRequest request, String newPassword) throws SQLException {
        return call(() -> admin().setPassword(request, newPassword));
    }

    @Override
    public MasterPrivileges masterPrivileges(AdminRequest request) throws SQLException {
        return call(() -> {
            MasterPrivileges found = admin().masterPrivileges(request);
            return new MasterPrivileges(found.checked(), found.missing(), scrubber.scrub(found.detail()));
        });
    }
}
