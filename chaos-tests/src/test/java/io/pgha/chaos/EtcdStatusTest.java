package io.pgha.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing etcd 3.4's status answers (captured from etcd 3.4.23) and picking the leader out of three. */
class EtcdStatusTest {
    static final String GATEWAY = "{\"header\":{\"cluster_id\":\"324952591200643719\",\"member_id\":\"3319814642761637952\",\"revision\":\"1\","
            + "\"raft_term\":\"2\"},\"version\":\"3.4.23\",\"dbSize\":\"20480\",\"leader\":\"3319814642761637952\",\"raftIndex\":\"4\","
            + "\"raftTerm\":\"2\",\"raftAppliedIndex\":\"4\",\"dbSizeInUse\":\"16384\"}";
    static final String ETCDCTL = "[{\"Endpoint\":\"http://127.0.0.1:23790\",\"Status\":{\"header\":{\"cluster_id\":324952591200643719,"
            + "\"member_id\":3319814642761637952,\"revision\":1,\"raft_term\":2},\"version\":\"3.4.23\",\"dbSize\":20480,"
            + "\"leader\":3319814642761637952,\"raftIndex\":4,\"raftTerm\":2,\"raftAppliedIndex\":4,\"dbSizeInUse\":16384}}]";

    @Test
    void theGatewaysStringsAndEtcdctlsNumbersBothParse() {
        assertThat(EtcdStatus.parse(GATEWAY)).contains(new EtcdStatus(3319814642761637952L, 3319814642761637952L));
        assertThat(EtcdStatus.parse(ETCDCTL)).contains(new EtcdStatus(3319814642761637952L, 3319814642761637952L));
        assertThat(EtcdStatus.parse(GATEWAY).orElseThrow().isLeader()).isTrue();
    }

    @Test
    void idsAboveLongMaxAreUnsigned() {
        // etcd ids are uint64: half of them do not fit a signed long.
        String json = "{\"header\":{\"member_id\":\"17237436991929493444\"},\"leader\":\"9372538179322589801\"}";
        EtcdStatus s = EtcdStatus.parse(json).orElseThrow();
        assertThat(Long.toUnsignedString(s.memberId())).isEqualTo("17237436991929493444");
        assertThat(s.isLeader()).isFalse();
    }

    @Test
    void noLeaderAndErrorBodies() {
        assertThat(EtcdStatus.parse("{\"header\":{\"member_id\":\"5\"},\"version\":\"3.4.23\"}")).contains(new EtcdStatus(5, 0));
        assertThat(EtcdStatus.parse("{\"header\":{\"member_id\":\"5\"},\"leader\":\"0\"}").orElseThrow().isLeader()).isFalse();
        assertThat(EtcdStatus.parse("{\"error\":\"etcdserver: request timed out\",\"code\":14}")).isEmpty();
    }

    @Test
    void theLeaderIsTheSelfDeclaredOneTheOthersConfirm() {
        Optional<EtcdStatus> a = Optional.of(new EtcdStatus(11, 22));
        Optional<EtcdStatus> b = Optional.of(new EtcdStatus(22, 22));
        Optional<EtcdStatus> c = Optional.of(new EtcdStatus(33, 22));
        assertThat(EtcdStatus.leaderIndex(List.of(a, b, c))).contains(1);
        assertThat(EtcdStatus.leaderIndex(List.of(a, b, Optional.empty()))).as("a frozen member does not answer").contains(1);
        assertThat(EtcdStatus.leaderIndex(List.of(a, b, Optional.of(new EtcdStatus(33, 0))))).as("one still electing").contains(1);
    }

    @Test
    void noLeaderWhileNoneOrWhileTheyDisagree() {
        assertThat(EtcdStatus.leaderIndex(List.of(Optional.of(new EtcdStatus(11, 0)), Optional.empty(), Optional.empty()))).isEmpty();
        // the old leader, frozen and just continued, still believes it leads; the others follow 33
        assertThat(EtcdStatus.leaderIndex(List.of(Optional.of(new EtcdStatus(11, 11)), Optional.of(new EtcdStatus(22, 33)),
                Optional.of(new EtcdStatus(33, 33))))).isEmpty();
        // a follower names a leader that does not answer for itself
        assertThat(EtcdStatus.leaderIndex(List.of(Optional.of(new EtcdStatus(11, 22)), Optional.empty(), Optional.of(new EtcdStatus(33, 22)))))
                .isEmpty();
    }
}
