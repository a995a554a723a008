package io.pgha.haproxy;

import io.pgha.demo.LocalNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** A PostgreSQL client going through an HAProxy port, as an application would. */
final class Through {
    private Through() {
    }

    static Connection connect(int port, int timeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", LocalNode.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** The PostgreSQL port of the server a connection landed on. */
    static int serverPort(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('port')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The node whose PostgreSQL answers a new connection on {@code port}; empty when none does. */
    static Optional<LocalNode> whoAnswers(int port, List<LocalNode> nodes) {
        try (Connection c = connect(port, 2)) {
            int pg = serverPort(c);
            return nodes.stream().filter(n -> n.pgPort() == pg).findFirst();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** A write on a new connection on {@code port}; the node it landed on, empty when it failed. */
    static Optional<LocalNode> write(int port, List<LocalNode> nodes) {
        try (Connection c = connect(port, 2); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS through_haproxy (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
            st.execute("INSERT INTO through_haproxy DEFAULT VALUES");
            int pg = serverPort(c);
            return nodes.stream().filter(n -> n.pgPort() == pg).findFirst();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
