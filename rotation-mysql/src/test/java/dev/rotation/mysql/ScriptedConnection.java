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
 * A JDBC connection that answers {@code SELECT VERSION()} with a chosen version and
 * {@code SHOW GRANTS FOR CURRENT_USER()} with chosen lines, records every
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
    private List<String> ownGrants = List.of();

    ScriptedConnection(String version) {
        this.version = version;
    }

    /** What {@code SHOW GRANTS FOR CURRENT_USER()} answers (nothing unless set). */
    ScriptedConnection withOwnGrants(String... lines) {
        ownGrants = List.of(lines);
        return this;
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
                if (args[0].equals(MySqlEngine.VERSION_QUERY)) {
                    yield rows(List.of(version));
                }
                if (args[0].equals(MySqlEngine.OWN_GRANTS_QUERY)) {
                    yield rows(ownGrants);
                }
                throw new SQLException("unexpected query " + args[0]);
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    /** A one-column result set of {@code values}. */
    private ResultSet rows(List<String> values) {
        int[] row = {-1};
        return proxy(ResultSet.class, (name, args) -> switch (name) {
            case "next" -> ++row[0] < values.size();
            case "getString" -> values.get(row[0]);
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
