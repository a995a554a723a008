package io.pgha.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code postgresql.callbacks} keys, as in Patroni. */
public enum CallbackEvent {
    ON_START("on_start"),
    ON_STOP("on_stop"),
    ON_RESTART("on_restart"),
    ON_RELOAD("on_reload"),
    ON_ROLE_CHANGE("on_role_change");

    private final String key;

    CallbackEvent(String key) {
        this.key = key;
    }

    /** The YAML key, which is also the action argument the script receives. */
    public String key() {
        return key;
    }

    static List<String> keys() {
        return Arrays.stream(values()).map(CallbackEvent::key).toList();
    }

    static Optional<CallbackEvent> ofKey(String key) {
        return Arrays.stream(values()).filter(e -> e.key.equals(key)).findFirst();
    }
}
