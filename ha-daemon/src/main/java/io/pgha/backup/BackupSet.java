package io.pgha.backup;

import java.time.Instant;
import java.util.Optional;

/** One backup in the repository, as {@code pgbackrest info --output=json} describes it. */
public record BackupSet(String label, String type, Instant start, Instant stop, String lsnStart, String lsnStop, long size,
                        long repositorySize, Optional<String> member) {
}
