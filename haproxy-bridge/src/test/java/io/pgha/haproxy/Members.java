package io.pgha.haproxy;

import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;

/** Member keys as a pgha daemon publishes them. */
final class Members {
    private Members() {
    }

    static Member member(String name, String host, int pgPort, int restPort, String tagsJson) {
        return member(name, "postgres://" + host + ":" + pgPort + "/postgres", "http://" + host + ":" + restPort + "/patroni", tagsJson, "replica");
    }

    static Member member(String name, String connUrl, String apiUrl, String tagsJson, String role) {
        String json = "{\"conn_url\":\"" + connUrl + "\",\"api_url\":\"" + apiUrl + "\",\"state\":\"running\",\"role\":\"" + role
                + "\",\"version\":\"0.1.0\"" + (tagsJson.isEmpty() ? "" : ",\"tags\":" + tagsJson) + "}";
        return new Member(name, MemberData.parse(name, json), 1, 0);
    }

    static MemberData data(String name, String host, int pgPort, int restPort, String tagsJson, String role) {
        return MemberData.parse(name, "{\"conn_url\":\"postgres://" + host + ":" + pgPort + "/postgres\",\"api_url\":\"http://" + host + ":"
                + restPort + "/patroni\",\"state\":\"running\",\"role\":\"" + role + "\",\"version\":\"0.1.0\""
                + (tagsJson.isEmpty() ? "" : ",\"tags\":" + tagsJson) + "}");
    }
}
