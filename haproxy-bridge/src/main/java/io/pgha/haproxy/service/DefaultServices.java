package io.pgha.haproxy.service;

import java.util.List;
import java.util.Optional;

/**
 * Pigsty's four default services ({@code pg_default_services}), with its check paths, maxconn and
 * balance. Pigsty sends primary and replica to pgbouncer by default; pgha ships no pooler, so every
 * default goes to PostgreSQL ({@code dest} can point a service at a pooler port).
 *
 * <ul>
 *   <li>primary 5433: read-write, the leader only ({@code /primary});</li>
 *   <li>replica 5434: read-only, the replicas, the leader and offline members as backup
 *       ({@code /read-only}) — Pigsty's {@code pg_role == primary || pg_role == offline};</li>
 *   <li>default 5436: like primary, direct to PostgreSQL (admin and ETL connections);</li>
 *   <li>offline 5438: members tagged {@code offline} ({@code pg_role == offline || pg_offline_query}),
 *       other replicas as backup ({@code /replica}, so never the leader).</li>
 * </ul>
 */
public final class DefaultServices {
    /** The member tag that marks an offline (analytics/ETL) instance, Pigsty's {@code pg_offline_query}. */
    public static final String OFFLINE_TAG = "offline";
    public static final int MAXCONN = 5000;

    private DefaultServices() {
    }

    public static List<Service> all() {
        Destination pg = new Destination.Postgres();
        Selector all = new Selector.All();
        Selector offline = new Selector.Tagged(OFFLINE_TAG);
        return List.of(
                new Service("primary", 5433, Optional.empty(), all, Optional.empty(), pg, "/primary", MAXCONN, "roundrobin", List.of()),
                new Service("replica", 5434, Optional.empty(), all, Optional.of(new Selector.Or(new Selector.Primary(), offline)), pg,
                        "/read-only", MAXCONN, "roundrobin", List.of()),
                new Service("default", 5436, Optional.empty(), all, Optional.empty(), pg, "/primary", MAXCONN, "roundrobin", List.of()),
                new Service("offline", 5438, Optional.empty(), offline,
                        Optional.of(new Selector.And(new Selector.Replica(), new Selector.Not(offline))), pg, "/replica", MAXCONN,
                        "roundrobin", List.of()));
    }
}
