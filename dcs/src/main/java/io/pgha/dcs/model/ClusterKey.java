package io.pgha.dcs.model;

/** The permanent (lease-less) keys of a cluster, written with compare-and-swap. */
public enum ClusterKey {
    INITIALIZE("initialize"),
    CONFIG("config"),
    STATUS("status"),
    FAILOVER("failover"),
    SYNC("sync"),
    HISTORY("history"),
    FAILSAFE("failsafe"),
    /** pgha's own: the scheduled backup claimed by the leader (Patroni ignores keys it does not know). */
    BACKUP("pgha-backup"),
    /** Legacy optime key, written only for Patroni members older than 2.1. */
    OPTIME_LEADER("optime/leader");

    private final String path;

    ClusterKey(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
