package io.pgha.chaos;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One etcd member's answer to {@code POST /v3/maintenance/status} (the v3 HTTP/JSON gateway): its
 * own member id and the id of the leader it knows, 0 when it knows none. The gateway writes uint64
 * values as JSON strings; {@code etcdctl endpoint status -w json} writes them as numbers: both parse.
 */
record EtcdStatus(long memberId, long leaderId) {
    private static final Pattern MEMBER = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)\"?");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)\"?");

    /** The status in {@code json}; empty when it names no member (an error body, say). A missing leader is 0. */
    static Optional<EtcdStatus> parse(String json) {
        Matcher member = MEMBER.matcher(json);
        if (!member.find()) {
            return Optional.empty();
        }
        Matcher leader = LEADER.matcher(json);
        return Optional.of(new EtcdStatus(Long.parseUnsignedLong(member.group(1)),
                leader.find() ? Long.parseUnsignedLong(leader.group(1)) : 0));
    }

    boolean isLeader() {
        return leaderId != 0 && leaderId == memberId;
    }

    /**
     * Which member leads, by index into {@code statuses} (one per member, empty where it did not
     * answer): a member that reports itself as leader, confirmed by every other answering member
     * that knows a leader. Empty while there is none, or while answers disagree (an election).
     */
    static Optional<Integer> leaderIndex(List<Optional<EtcdStatus>> statuses) {
        Optional<Integer> leader = Optional.empty();
        for (int i = 0; i < statuses.size(); i++) {
            if (statuses.get(i).filter(EtcdStatus::isLeader).isPresent()) {
                if (leader.isPresent()) {
                    return Optional.empty(); // two self-declared leaders (terms differ): not settled
                }
                leader = Optional.of(i);
            }
        }
        if (leader.isEmpty()) {
            return leader;
        }
        long id = statuses.get(leader.get()).orElseThrow().memberId();
        boolean agreed = statuses.stream().flatMap(Optional::stream).allMatch(s -> s.leaderId() == 0 || s.leaderId() == id);
        return agreed ? leader : Optional.empty();
    }
}
