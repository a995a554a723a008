package io.pgha.daemon;

import io.pgha.ha.PeerStatus;

import java.time.Duration;
import java.util.Map;

/** Asks other members over REST, in parallel, how they are, within one overall timeout. */
@FunctionalInterface
public interface Peers {
    Map<String, PeerStatus> ask(Map<String, String> memberToApiUrl, Duration timeout);
}
