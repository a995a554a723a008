package io.pgha.chaos;

/**
 * One acknowledged write: the row id, the server that committed it ({@code inet_server_addr()}),
 * the timeline it was written on (the insert timeline, read in the same statement), and the
 * interval [sent, acked] in microseconds since the run started: the commit happened somewhere in it.
 *
 * @param source which client wrote it: {@code client} (multi-host URL) or {@code probe-<node>}
 */
public record Write(long id, String node, int timeline, long sentUs, long ackedUs, String source) {
    public boolean overlaps(Write o) {
        return sentUs < o.ackedUs && o.sentUs < ackedUs;
    }
}
