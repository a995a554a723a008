package io.pgha.haproxy.service;

/** Where a service sends a client on the chosen member: PostgreSQL itself, or a pooler's port on that host. */
public sealed interface Destination {
    /** The port on {@code member}'s host. */
    int port(int memberPostgresPort);

    /** The member's PostgreSQL port, from its {@code conn_url}. */
    record Postgres() implements Destination {
        @Override
        public int port(int memberPostgresPort) {
            return memberPostgresPort;
        }

        @Override
        public String toString() {
            return "postgres";
        }
    }

    /** A fixed port on each member's host, e.g. pgbouncer's 6432. */
    record Port(int port) implements Destination {
        public Port {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
        }

        @Override
        public int port(int memberPostgresPort) {
            return port;
        }

        @Override
        public String toString() {
            return Integer.toString(port);
        }
    }
}
