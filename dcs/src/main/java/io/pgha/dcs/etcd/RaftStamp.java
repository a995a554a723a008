package io.pgha.dcs.etcd;

import io.etcd.jetcd.Response;

/** Which etcd member answered a request, and in which raft term it was then. */
record RaftStamp(long member, long term) {
    static RaftStamp of(Response.Header header) {
        return new RaftStamp(header.getMemberId(), header.getRaftTerm());
    }

    @Override
    public String toString() {
        return "member " + Long.toHexString(member) + " term " + term;
    }
}
