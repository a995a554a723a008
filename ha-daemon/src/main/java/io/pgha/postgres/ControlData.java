package io.pgha.postgres;

import io.pgha.dcs.model.Lsn;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fields of pg_controldata the HA rules need, parsed from its (LC_ALL=C) output. */
public record ControlData(
        long systemId,
        String clusterState,
        long checkpointTimeline,
        long minRecoveryTimeline,
        long checkpointLsn,
        boolean checksums,
        boolean walLogHints) {

    public static ControlData parse(String output) {
        Map<String, String> f = new HashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                f.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        String sysid = require(f, "Database system identifier");
        return new ControlData(
                Long.parseUnsignedLong(sysid),
                require(f, "Database cluster state"),
                Long.parseLong(require(f, "Latest checkpoint's TimeLineID")),
                Long.parseLong(f.getOrDefault("Minimum recovery ending loc's timeline", "0")),
                Lsn.parse(require(f, "Latest checkpoint location")),
                !f.getOrDefault("Data page checksum version", "0").equals("0"),
                f.getOrDefault("wal_log_hints setting", "off").equals("on"));
    }

    private static String require(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("pg_controldata output has no \"" + name + "\" line");
        }
        return v;
    }

    /** The cluster last ran read-write: a crash or clean stop of a primary, not of a standby. */
    public boolean stoppedAsPrimary() {
        return clusterState.equals("in production") || clusterState.equals("shut down")
                || clusterState.equals("shutting down") || clusterState.equals("in crash recovery");
    }

    public boolean cleanlyShutDown() {
        return clusterState.startsWith("shut down");
    }

    /** The timeline this data directory is on: a standby's may be newer than its last checkpoint. */
    public long timeline() {
        return Math.max(checkpointTimeline, minRecoveryTimeline);
    }

    public Optional<String> systemIdText() {
        return Optional.of(Long.toUnsignedString(systemId));
    }
}
