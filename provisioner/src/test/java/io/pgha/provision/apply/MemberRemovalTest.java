package io.pgha.provision.apply;

import io.pgha.provision.transport.Transport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The refusals of remove, against a host that answers GET /cluster with a given document and records every command. */
class MemberRemovalTest {

    /** A host whose members' REST API answers {@code cluster} and whose every other command succeeds. */
    static final class Host implements Transport {
        final List<String> commands = new ArrayList<>();
        final String cluster;

        Host(String cluster) {
            this.cluster = cluster;
        }

        @Override
        public String host() {
            return "10.0.0.11";
        }

        @Override
        public Exec run(String command, Optional<byte[]> stdin, Duration timeout) {
            commands.add(command);
            return command.contains("/cluster") ? new Exec(0, cluster, "") : new Exec(0, "", "");
        }

        @Override
        public Optional<byte[]> read(String path) {
            return Optional.empty();
        }

        @Override
        public void write(String path, byte[] content, String mode, String owner, String group) {
            commands.add("write " + path);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theLastPrimaryIsNeverRemovedAndNothingIsStopped() {
        Host h = new Host("{\"members\":[{\"name\":\"pg-test-1\",\"role\":\"leader\",\"state\":\"running\",\"api_url\":\"http://10.0.0.11:8008/patroni\"},"
                + "{\"name\":\"pg-test-2\",\"role\":\"replica\",\"state\":\"stopped\",\"api_url\":\"http://10.0.0.12:8008/patroni\"}]}");
        assertThatThrownBy(() -> new MemberRemoval(h, false, l -> { }).remove("pg-test-1", "http://10.0.0.11:8008", Duration.ofSeconds(1)))
                .isInstanceOf(ApplyException.class)
                .hasMessage("pg-test-1 is the primary and no other member streams from it: removing it would leave the cluster"
                        + " without a primary; nothing was changed");
        assertThat(h.commands).allMatch(c -> c.contains("/cluster"), "only GET /cluster was run");
    }

    @Test
    void aHostThatIsNoMemberIsNamed() {
        Host h = new Host("{\"members\":[{\"name\":\"pg-test-1\",\"role\":\"leader\",\"state\":\"running\",\"api_url\":\"\"}]}");
        assertThatThrownBy(() -> new MemberRemoval(h, false, l -> { }).remove("pg-test-9", "http://10.0.0.11:8008", Duration.ofSeconds(1)))
                .hasMessageContaining("pg-test-9 is not a member of its cluster").hasMessageContaining("[pg-test-1]");
        assertThat(h.commands).hasSize(1);
    }

    @Test
    void aReplicaIsStoppedTrafficFirstAndTheDaemonLast() {
        // The only member listed, so there is no other member to wait on for its key to go.
        Host two = new Host("{\"members\":[{\"name\":\"pg-test-2\",\"role\":\"replica\",\"state\":\"streaming\",\"api_url\":\"http://10.0.0.12:8008/patroni\"}]}");
        List<String> done = new MemberRemoval(two, false, l -> { }).remove("pg-test-2", "http://10.0.0.12:8008", Duration.ofSeconds(1));
        assertThat(done).containsExactly("stopped and disabled pgha-haproxy.service, haproxy.service, pgha-vip.service, pgha.service");
        List<String> stops = two.commands.stream().filter(c -> c.contains("pgha unit stop")).toList();
        assertThat(stops).hasSize(4);
        assertThat(stops.get(0)).contains("pgha-haproxy.service");
        assertThat(stops.get(3)).endsWith("pgha unit stop pgha.service");
        assertThat(MemberRemoval.base("http://10.0.0.12:8008/patroni")).isEqualTo("http://10.0.0.12:8008");
    }
}
