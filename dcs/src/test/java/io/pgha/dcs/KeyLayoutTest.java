package io.pgha.dcs;

import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyLayoutTest {

    @Test
    void followsPatronisLayoutUnderTheDefaultNamespace() {
        KeyLayout keys = new KeyLayout(null, "demo");
        assertThat(keys.prefix()).isEqualTo("/service/demo/");
        assertThat(keys.leader()).isEqualTo("/service/demo/leader");
        assertThat(keys.member("node1")).isEqualTo("/service/demo/members/node1");
        assertThat(keys.key(ClusterKey.CONFIG)).isEqualTo("/service/demo/config");
        assertThat(keys.key(ClusterKey.OPTIME_LEADER)).isEqualTo("/service/demo/optime/leader");
    }

    @Test
    void normalizesPigstyNamespaces() {
        assertThat(new KeyLayout("/pg/", "pg-test").leader()).isEqualTo("/pg/pg-test/leader");
        assertThat(new KeyLayout("pg", "pg-test").leader()).isEqualTo("/pg/pg-test/leader");
    }

    @Test
    void classifiesKeysOfItsOwnClusterOnly() {
        KeyLayout keys = new KeyLayout("/service", "demo");
        assertThat(keys.classify("/service/demo/leader")).contains(new KeyLayout.KeyRef.LeaderKey());
        assertThat(keys.classify("/service/demo/members/n2")).contains(new KeyLayout.KeyRef.MemberKey("n2"));
        assertThat(keys.classify("/service/demo/sync")).contains(new KeyLayout.KeyRef.Shared(ClusterKey.SYNC));
        assertThat(keys.classify("/service/demo/0/leader")).contains(new KeyLayout.KeyRef.Other("0/leader"));
        assertThat(keys.classify("/service/demo2/leader")).isEmpty();
    }

    @Test
    void rejectsNamesThatWouldEscapeTheirKey() {
        assertThatThrownBy(() -> new KeyLayout("/service", "a/b")).hasMessageContaining("scope");
        assertThatThrownBy(() -> new KeyLayout("/service", " ")).hasMessageContaining("scope");
        assertThatThrownBy(() -> new KeyLayout("/service", "demo").member("x/y")).hasMessageContaining("member name");
    }
}
