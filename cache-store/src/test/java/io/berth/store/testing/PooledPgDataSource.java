package io.berth.store.testing;

import org.postgresql.ds.PGSimpleDataSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A test database's data source that keeps its connections open between uses, as the server's pool
 * does: opening a PostgreSQL connection (a backend process, SCRAM authentication) took most of a
 * metadata test's time when every transaction opened its own. A connection handed out is a view of
 * a pooled one; closing the view rolls back what it left open and puts the connection back. Still a
 * {@link PGSimpleDataSource}, so tests read its schema and database as before; {@link #closeAll}
 * ends every connection before the test's schema is dropped.
 */
final class PooledPgDataSource extends PGSimpleDataSource {
    private static final int MAX_IDLE = 16;

    private final transient Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final transient List<Connection> opened = new ArrayList<>();

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.isValid(5)) {
                return view(connection);
            }
            connection.close(); // ended by the server (a test that terminates backends)
        }
        connection = super.getConnection();
        synchronized (opened) {
            opened.add(connection);
        }
        return view(connection);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return super.getConnection(user, password); // other credentials: not pooled
    }

    /** Closes every connection this data source opened, in use or idle. */
    void closeAll() {
        idle.clear();
        synchronized (opened) {
            for (Connection connection : opened) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // gone already
                }
            }
            opened.clear();
        }
    }

    private Connection view(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new View(connection));
    }

    private void giveBack(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (idle.size() < MAX_IDLE) {
                idle.addFirst(connection);
                return;
            }
        } catch (SQLException e) {
            // broken: closed below
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // gone already
        }
        synchronized (opened) {
            opened.remove(connection);
        }
    }

    /** One use of a pooled connection: everything goes to it until {@code close()} gives it back. */
    private final class View implements InvocationHandler {
        private final Connection connection;
        private boolean closed;

        View(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        giveBack(connection);
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed || connection.isClosed();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "pooled " + connection;
                }
                default -> {
                    if (closed) {
                        throw new SQLException("this connection was closed");
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        }
    }
}
