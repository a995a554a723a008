package io.pgha.vip;

import java.time.Duration;
import java.util.Locale;

/**
 * The VIP manager's one rule, as a pure function: from what the DCS said (and when), the policy
 * and the local daemon's failsafe answer, whether this node should hold the VIP and why.
 *
 * <ul>
 *   <li>Just started, no answer yet: touch nothing for up to the grace, then release.</li>
 *   <li>DCS answering: hold exactly when the leader key names this node.</li>
 *   <li>DCS silent, this node was not the leader at the last answer: do not hold.</li>
 *   <li>DCS silent, this node was the leader: hold for the policy's grace (ttl − loop_wait) after
 *       the last confirmation; after that release, unless the policy is hold-while-failsafe and the
 *       local daemon affirms failsafe leadership.</li>
 * </ul>
 */
public final class HoldDecision {
    private HoldDecision() {
    }

    public static Want decide(DcsView view, String member, DcsLossPolicy policy, FailsafeVerdict failsafe, long now) {
        if (view.reachable()) {
            if (view.leader().isEmpty()) {
                return new Want.Release(Want.Cause.NO_LEADER, "no leader key");
            }
            String leader = view.leader().get();
            return leader.equals(member)
                    ? new Want.Hold(Want.Cause.LEADER_IS_THIS_NODE, "leader key names this node (" + member + ")")
                    : new Want.Release(Want.Cause.LEADER_IS_ANOTHER_NODE, "leader key names " + leader + ", not " + member);
        }
        if (!view.everAnswered()) {
            long waited = now - view.startedAt();
            if (waited < policy.grace().toNanos()) {
                return new Want.Wait(Want.Cause.STARTING, "DCS has not answered since the start " + seconds(waited)
                        + " ago (" + view.lastError() + "); leaving the interface as it is for up to " + seconds(policy.grace().toNanos()));
            }
            return new Want.Release(Want.Cause.DCS_NEVER_ANSWERED, "DCS has not answered in " + seconds(waited)
                    + " since the start (" + view.lastError() + ")");
        }
        String lost = "DCS unreachable for " + seconds(now - view.unreachableSince().orElse(now)) + " (" + view.lastError() + ")";
        if (view.confirmedSelfAt().isEmpty()) {
            return new Want.Release(Want.Cause.DCS_LOST_NOT_LEADER, lost + "; this node was not the leader when last heard from");
        }
        long sinceConfirmed = now - view.confirmedSelfAt().getAsLong();
        long grace = policy.grace().toNanos();
        if (sinceConfirmed < grace) {
            return new Want.Hold(Want.Cause.DCS_LOST_WITHIN_GRACE, lost + "; leadership last confirmed " + seconds(sinceConfirmed)
                    + " ago, holding until ttl − loop_wait = " + seconds(grace) + " after that, while the lease is certainly valid");
        }
        if (policy instanceof DcsLossPolicy.HoldWhileFailsafe && failsafe.affirmed()) {
            return new Want.Hold(Want.Cause.DCS_LOST_FAILSAFE, lost + "; grace " + seconds(grace)
                    + " over, holding while the local daemon reports failsafe leadership: " + failsafe.detail());
        }
        String why = policy instanceof DcsLossPolicy.HoldWhileFailsafe
                ? "and the local daemon does not report failsafe leadership: " + failsafe.detail()
                : "and the policy is release";
        return new Want.Release(Want.Cause.DCS_LOST_GRACE_EXPIRED, lost + "; leadership last confirmed " + seconds(sinceConfirmed)
                + " ago, beyond ttl − loop_wait = " + seconds(grace) + ", " + why);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", Duration.ofNanos(Math.max(0, nanos)).toMillis() / 1000.0);
    }
}
