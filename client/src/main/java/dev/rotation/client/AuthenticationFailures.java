package dev.rotation.client;

import java.sql.SQLException;

/** Tells a refused login apart from every other connection failure. */
final class AuthenticationFailures {
    /** MySQL and MariaDB: ER_ACCESS_DENIED_ERROR ("Access denied for user ..."). */
    static final int MYSQL_ACCESS_DENIED = 1045;
    /** SQL standard "invalid authorization specification"; PostgreSQL uses it for unknown roles and pg_hba rejections. */
    static final String INVALID_AUTHORIZATION = "28000";
    /** PostgreSQL invalid_password. */
    static final String POSTGRES_INVALID_PASSWORD = "28P01";

    private AuthenticationFailures() {
    }

    /** Whether {@code e}, or an exception it wraps, says the database refused the credentials. */
    static boolean isAuthenticationFailure(SQLException e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                String state = s.getSQLState();
                if (INVALID_AUTHORIZATION.equals(state) || POSTGRES_INVALID_PASSWORD.equals(state)
                        || s.getErrorCode() == MYSQL_ACCESS_DENIED) {
                    return true;
                }
            }
        }
        return false;
    }
}
