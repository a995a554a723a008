package io.pgha.backup;

import java.util.Arrays;
import java.util.Optional;

/** pgBackRest's backup types: everything, changes since the last full, changes since the last backup. */
public enum BackupType {
    FULL("full"), DIFF("diff"), INCR("incr");

    private final String key;

    BackupType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<BackupType> ofKey(String s) {
        return Arrays.stream(values()).filter(t -> t.key.equals(s)).findFirst();
    }
}
