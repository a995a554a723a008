package io.pgha.haproxy.testing;

import io.pgha.dcs.model.MemberData;
import io.pgha.launch.Ports;

/** One member without PostgreSQL or a daemon: a greeting TCP port and a REST stand-in answering health paths. */
public final class StandInNode implements AutoCloseable {
    public final String name;
    public final FakePostgres postgres;
    public final FakeRest rest;

    public StandInNode(String name) {
        this.name = name;
        this.postgres = new FakePostgres(name, Ports.free());
        this.rest = new FakeRest(Ports.free());
    }

    /** Answers as a primary does: 200 on /primary and /read-only, 503 on /replica. */
    public StandInNode asPrimary() {
        rest.answer("/primary", 200).answer("/read-only", 200).answer("/replica", 503);
        return this;
    }

    public StandInNode asReplica() {
        rest.answer("/primary", 503).answer("/read-only", 200).answer("/replica", 200);
        return this;
    }

    public StandInNode down() {
        rest.answer("/primary", 503).answer("/read-only", 503).answer("/replica", 503);
        return this;
    }

    /** The member key a daemon would publish for this node. */
    public MemberData memberData(String role, String tagsJson) {
        return MemberData.parse(name, "{\"conn_url\":\"postgres://127.0.0.1:" + postgres.port() + "/postgres\",\"api_url\":\"http://127.0.0.1:"
                + rest.port() + "/patroni\",\"state\":\"running\",\"role\":\"" + role + "\",\"version\":\"0.1.0\""
                + (tagsJson.isEmpty() ? "" : ",\"tags\":" + tagsJson) + "}");
    }

    @Override
    public void close() {
        postgres.close();
        rest.close();
    }
}
