package io.pgha.ha;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers of the peers asked during one leader race. It is tied to the snapshot revision it was
 * gathered for: answers about an older cluster view are not evidence about the current one.
 */
public record PeerReport(long clusterRevision, Map<String, PeerStatus> answers) {
    public PeerReport {
        answers = Collections.unmodifiableMap(new TreeMap<>(answers));
    }
}
