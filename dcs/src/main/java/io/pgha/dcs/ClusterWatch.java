package io.pgha.dcs;

/** A running watch on the cluster prefix; closing it stops delivery. */
public interface ClusterWatch extends AutoCloseable {
    /** The revision of the last event delivered (or the start revision). */
    long lastRevision();

    @Override
    void close();
}
