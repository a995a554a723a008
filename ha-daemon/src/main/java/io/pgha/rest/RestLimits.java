package io.pgha.rest;

import java.time.Duration;

/**
 * How long and how much a client may take before the API drops it. A slow-loris client that
 * dribbles its headers or body one byte at a time never trips an idle timeout, so a request must
 * also arrive whole within {@code requestDeadline} of the connection opening (or of the previous
 * response on a kept-alive connection).
 *
 * @param requestDeadline headers and body of one request, complete
 * @param idleTimeout     a connection with no traffic at all
 */
record RestLimits(Duration requestDeadline, Duration idleTimeout) {
    /** HAProxy checks and the CLI send a few hundred bytes; ten seconds is generous on any network. */
    static final RestLimits DEFAULT = new RestLimits(Duration.ofSeconds(10), Duration.ofSeconds(30));
    /** Patroni's and HAProxy's requests fit easily; a larger header block is refused with 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_REQUEST_LINE_BYTES = 4096;
}
