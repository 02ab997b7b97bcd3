package dev.rotation.mysql;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A JDBC connection that answers {@code SELECT VERSION()} with a chosen version, records every
 * prepared statement with its bound parameters, and fails executions from a script: enough to check
 * which statement {@link MySqlEngine#changeOwnPassword} picks for a server, without one.
 */
final class ScriptedConnection {
    /** One executed prepared statement. */
    record Executed(String sql, List<String> parameters) {
    }

    final List<Executed> executed = new ArrayList<>();
    private final String version;
    private final Deque<SQLException> failures = new ArrayDeque<>();

    ScriptedConnection(String version) {
        this.version = version;
    }

    /** The next execution throws {@code failure}; later ones succeed unless scripted too. */
    ScriptedConnection thenFail(SQLException failure) {
        failures.add(failure);
        return this;
    }

    Connection connection() {
        return proxy(Connection.class, (name, args) -> switch (name) {
            case "createStatement" -> statement();
            case "prepareStatement" -> prepared((String) args[0]);
            case "close" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private Statement statement() {
        return proxy(Statement.class, (name, args) -> switch (name) {
            case "executeQuery" -> {
                if (!args[0].equals(MySqlEngine.VERSION_QUERY)) {
                    throw new SQLException("unexpected query " + args[0]);
                }
                yield versionRow();
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private ResultSet versionRow() {
        boolean[] read = {false};
        return proxy(ResultSet.class, (name, args) -> switch (name) {
            case "next" -> {
                boolean first = !read[0];
                read[0] = true;
                yield first;
            }
            case "getString" -> version;
            case "close" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private PreparedStatement prepared(String sql) {
        List<String> parameters = new ArrayList<>();
        return proxy(PreparedStatement.class, (name, args) -> switch (name) {
            case "setString" -> {
                int index = (Integer) args[0];
                while (parameters.size() < index) {
                    parameters.add(null);
                }
                parameters.set(index - 1, (String) args[1]);
                yield null;
            }
            case "execute" -> {
                executed.add(new Executed(sql, List.copyOf(parameters)));
                SQLException failure = failures.poll();
                if (failure != null) {
                    throw failure;
                }
                yield false;
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    @FunctionalInterface
    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args == null ? new Object[0] : args)));
    }
}
