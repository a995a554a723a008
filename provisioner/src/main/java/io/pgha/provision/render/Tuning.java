package io.pgha.provision.render;

import io.pgha.provision.inventory.PgConf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters each of Pigsty's pg_conf templates stands for, the few that decide behaviour
 * rather than machine size (memory sizing is the operator's, through the DCS config).
 */
final class Tuning {
    private Tuning() {
    }

    static Map<String, Object> parameters(PgConf conf) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("wal_level", "replica");
        p.put("hot_standby", "on");
        p.put("wal_log_hints", "on");
        switch (conf) {
            case OLTP -> p.put("max_connections", 500);
            case OLAP -> {
                p.put("max_connections", 200);
                p.put("hot_standby_feedback", "off");
                p.put("max_standby_streaming_delay", "-1");
            }
            case CRIT -> {
                p.put("max_connections", 500);
                p.put("synchronous_commit", "on");
                p.put("hot_standby_feedback", "on");
            }
            case TINY -> p.put("max_connections", 100);
        }
        return p;
    }
}
