package io.pgha.dcs;

/** What moving a member onto a lease of another TTL came to ({@link MemberSession#relet}). */
public sealed interface Relet {
    /**
     * The member key, and the leader key when this member held it, are bound to {@code lease} now;
     * {@code previous} no longer carries any key of ours and has been revoked (or expires unused).
     */
    record Moved(Lease previous, Lease lease, boolean leaderKeyMoved) implements Relet {
    }

    /** Nothing moved and the lease stays as it was; the next attempt may succeed. */
    record Kept(String why) implements Relet {
    }
}
