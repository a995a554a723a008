package io.pgha.provision.inventory;

import java.util.Optional;

/**
 * Pigsty's {@code pg_dns_target}: what the cluster's DNS name ({@code <pg_cluster><pg_dns_suffix>})
 * resolves to. pgha publishes it, with the cluster's services, as DNS records in etcd.
 */
public sealed interface DnsTarget {
    /** The address the name resolves to; empty for none. */
    Optional<String> address(PgCluster c);

    /** The VIP when the cluster has one, else the primary's address (Pigsty's default). */
    record Auto() implements DnsTarget {
        @Override
        public Optional<String> address(PgCluster c) {
            return Optional.of(c.vars().vip().map(Vip::address).orElse(c.primary().address()));
        }
    }

    /** The address of the member the inventory declares primary (it does not follow a failover). */
    record Primary() implements DnsTarget {
        @Override
        public Optional<String> address(PgCluster c) {
            return Optional.of(c.primary().address());
        }
    }

    /** The VIP; the reader refuses it for a cluster without one. */
    record OnVip() implements DnsTarget {
        @Override
        public Optional<String> address(PgCluster c) {
            return c.vars().vip().map(Vip::address);
        }
    }

    /** No record for the cluster's name; the service records stay. */
    record None() implements DnsTarget {
        @Override
        public Optional<String> address(PgCluster c) {
            return Optional.empty();
        }
    }

    record Fixed(String ip) implements DnsTarget {
        @Override
        public Optional<String> address(PgCluster c) {
            return Optional.of(ip);
        }
    }
}
