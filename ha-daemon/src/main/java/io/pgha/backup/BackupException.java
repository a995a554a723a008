package io.pgha.backup;

/** A backup or restore refused or failed, with the reason in words; nothing further was done. */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }
}
