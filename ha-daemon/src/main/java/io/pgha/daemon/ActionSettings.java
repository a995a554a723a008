package io.pgha.daemon;

import io.pgha.config.DynamicConfig;
import io.pgha.config.Timing;

import java.util.Map;

/** The dynamic configuration and timing the actions go by; the loop replaces them when the DCS config changes. */
final class ActionSettings {
    private volatile DynamicConfig dynamic;
    private volatile Timing timing;

    void set(DynamicConfig d, Timing t) {
        this.dynamic = d;
        this.timing = t;
    }

    DynamicConfig dynamic() {
        return dynamic;
    }

    Timing timing() {
        return timing;
    }

    /** The PostgreSQL parameters of the DCS config, written into postgresql.conf on every start and reload. */
    Map<String, String> parameters() {
        return dynamic.postgresql().parameters();
    }
}
