package io.pgha.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failed pg_rewind runs leave a data directory that must be cloned anew (outputs as pg_rewind 15 prints them). */
class RewindOutcomeTest {
    @Test
    void aRewindCutOffWhileCopyingOrUnableToReadTheTargetsWalLeavesItUnusable() {
        assertThat(Rewind.leftTargetUnusable("""
                pg_rewind: servers diverged at WAL location 0/B3AACD8 on timeline 33
                pg_rewind: rewinding from last common checkpoint at 0/B2F1E40 on timeline 33
                pg_rewind: reading source file list
                pg_rewind: reading target file list
                pg_rewind: reading WAL in target
                pg_rewind: need to copy 52 MB (total source directory size is 88 MB)
                pg_rewind: error: error while processing: server closed the connection unexpectedly
                	This probably means the server terminated abnormally
                	before or while processing the request.""")).isTrue();
        assertThat(Rewind.leftTargetUnusable(
                "pg_rewind: error: could not read WAL record at 0/B3AACD8: record with incorrect prev-link EB0000/1 at 0/B3AACD8")).isTrue();
        assertThat(Rewind.leftTargetUnusable(
                "pg_rewind: error: could not find common ancestor of the source and target cluster's timelines")).isTrue();
    }

    @Test
    void aRewindThatNeverGotToTheTargetChangesNothing() {
        assertThat(Rewind.leftTargetUnusable("""
                pg_rewind: error: connection to server at "198.19.24.2", port 5432 failed: Connection refused
                	Is the server running on that host and accepting TCP/IP connections?""")).isFalse();
        assertThat(Rewind.leftTargetUnusable(
                "pg_rewind: error: connection to server at \"198.19.72.3\", port 5432 failed: FATAL:  the database system is starting up"))
                .isFalse();
        assertThat(Rewind.leftTargetUnusable("""
                pg_rewind: servers diverged at WAL location 0/B3AACD8 on timeline 33
                pg_rewind: error: server closed the connection unexpectedly""")).isFalse();
    }
}
