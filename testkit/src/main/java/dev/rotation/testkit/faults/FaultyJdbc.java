package dev.rotation.testkit.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A connection whose statements are call positions of the {@link FaultInjector}: each
 * {@code execute...} may fail before it reaches the server, or after the server executed it (the
 * connection is closed, so an open transaction rolls back, exactly as when the network drops).
 * Everything else, {@code unwrap} included, goes to the real connection.
 */
final class FaultyJdbc {
    private FaultyJdbc() {
    }

    static Connection wrap(Connection real, FaultInjector injector) {
        return (Connection) Proxy.newProxyInstance(FaultyJdbc.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = call(real, method, args);
                    if (result instanceof Statement statement) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                        return statement(statement, real, sql, injector);
                    }
                    return result;
                });
    }

    private static Statement statement(Statement real, Connection connection, String preparedSql,
            FaultInjector injector) {
        Class<?> type = real instanceof CallableStatement ? CallableStatement.class
                : real instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            if (!method.getName().startsWith("execute")) {
                return call(real, method, args);
            }
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
            Optional<FaultInjector.Kind> fault = injector.next(FaultInjector.Site.DATABASE, "sql " + keywords(sql));
            if (fault.isPresent() && fault.get() == FaultInjector.Kind.DB_BEFORE) {
                throw linkFailure(connection);
            }
            Object result = call(real, method, args);
            if (fault.isPresent()) {
                throw linkFailure(connection);
            }
            return result;
        };
        return (Statement) Proxy.newProxyInstance(FaultyJdbc.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /**
     * The statement's first word, and its second after ALTER, CREATE, DROP, SET or SHOW: enough to
     * name it, stable from run to run, never a value or a (random) user name.
     */
    static String keywords(String sql) {
        if (sql == null) {
            return "(batch)";
        }
        String[] words = sql.trim().toUpperCase(Locale.ROOT).split("[^A-Z0-9_]+", 3);
        boolean two = words.length >= 2 && List.of("ALTER", "CREATE", "DROP", "SET", "SHOW").contains(words[0]);
        return two ? words[0] + " " + words[1] : words[0];
    }

    /** Closes the real connection and answers as a driver does when the network drops. */
    static SQLException linkFailure(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // The point is that the session is gone.
        }
        return new SQLNonTransientConnectionException("Communications link failure (injected fault)", "08S01");
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
