package io.pgha.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * Who can talk to whom right now. Faults overlap, so each cut is counted: a node is cut from
 * the DCS while at least one partition (or an outage) holding it is active.
 */
final class Network {
    private final Map<String, Integer> cuts = new HashMap<>();

    void cut(String link) {
        cuts.merge(link, 1, Integer::sum);
    }

    void heal(String link) {
        cuts.computeIfPresent(link, (k, v) -> v <= 1 ? null : v - 1);
    }

    static String dcsLink(int node) {
        return "dcs-" + node;
    }

    static String outage() {
        return "dcs-outage";
    }

    static String peerLink(int a, int b) {
        return "peer-" + Math.min(a, b) + "-" + Math.max(a, b);
    }

    static String watchLink(int node) {
        return "watch-" + node;
    }

    boolean reachesDcs(int node) {
        return !cuts.containsKey(outage()) && !cuts.containsKey(dcsLink(node));
    }

    boolean peersConnected(int a, int b) {
        return !cuts.containsKey(peerLink(a, b));
    }

    boolean watchDelivered(int node) {
        return reachesDcs(node) && !cuts.containsKey(watchLink(node));
    }
}
