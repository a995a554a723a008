package io.pgha.ha;

/**
 * One row of pg_stat_replication on a primary, as the sync rules read it; {@code flushLsn} is 0
 * when the standby reported none yet. It lives with the rules, not with the node's snapshot,
 * because the rules decide on it and must not depend on how a node reports itself.
 */
public record ReplicationPeer(String usename, String applicationName, String clientAddr, String state,
                              String syncState, int syncPriority, long flushLsn) {
}
