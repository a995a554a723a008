package io.pgha.rest;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code restapi.allowlist_include_members}: members' REST API hosts from the DCS may call unsafe endpoints. */
class MemberAllowlistTest {
    static Cluster withMembers(String... apiUrls) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (int i = 0; i < apiUrls.length; i++) {
            String name = "n" + i;
            members.put(name, new Member(name, MemberData.parse(name,
                    "{\"conn_url\":\"postgres://10.0.0.9:5432/postgres\",\"api_url\":\"" + apiUrls[i] + "\",\"state\":\"running\","
                            + "\"role\":\"replica\",\"version\":\"0.1.0\"}"), 1, 0));
        }
        return new Cluster(1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), members, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    @Test
    void membersAddressesFromTheLastSnapshotAreAdmittedAndOthersAreNot() throws Exception {
        AtomicReference<Optional<Cluster>> seen = new AtomicReference<>(Optional.empty());
        MemberAddresses members = new MemberAddresses(seen::get);
        assertThat(members.includes(InetAddress.getByName("10.0.0.4"))).as("no snapshot yet").isFalse();

        seen.set(Optional.of(withMembers("http://10.0.0.4:8008/patroni", "https://[fd00::6]:8008/patroni", "not a url")));
        assertThat(members.includes(InetAddress.getByName("10.0.0.4"))).isTrue();
        assertThat(members.includes(InetAddress.getByName("fd00::6"))).isTrue();
        assertThat(members.includes(InetAddress.getByName("10.0.0.5"))).isFalse();

        seen.set(Optional.of(withMembers("http://10.0.0.5:8008/patroni")));
        assertThat(members.includes(InetAddress.getByName("10.0.0.4"))).as("a member that left is no longer admitted").isFalse();
        assertThat(members.includes(InetAddress.getByName("10.0.0.5"))).isTrue();
    }

    @Test
    void aHostNameIsResolvedOffTheCallerAndAdmittedOnceKnown() throws Exception {
        MemberAddresses members = new MemberAddresses(() -> Optional.of(withMembers("http://localhost:8008/patroni")));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Await.until("localhost resolved in the background", Duration.ofSeconds(5), () -> members.includes(loopback));
        assertThat(members.includes(InetAddress.getByName("10.0.0.4"))).isFalse();
    }
}
