package io.pgha.config;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Puts every kind of wrong value at every key of the full files (etcd and Consul variants): the
 * answer must always be a config or a ConfigException with named problems, never a
 * ClassCastException, NullPointerException or similar.
 */
class GarbageInputTest {
    /** Where any JSON-able value is legitimate: opaque sections and keys kept for Patroni. */
    private static final List<String> FREE_FORM = List.of("vip.", "haproxy.", "bootstrap.dcs.slots",
            "bootstrap.dcs.max_timelines_history", "bootstrap.dcs.postgresql.pg_hba");

    private static final List<Supplier<Fixture>> FIXTURES = List.of(Fixture::full, GarbageInputTest::consulVariant);

    static Stream<Object> garbage() {
        return Stream.of("garbage", "", 42, -1, 1.5, true, false, List.of(), List.of("x", 1), List.of(List.of(Map.of())),
                Map.of(), Map.of("x", 1), new Date(0), new byte[]{1, 2}, Double.NaN);
    }

    private static Fixture consulVariant() {
        return Fixture.full().remove("etcd3").set("consul.host", "127.0.0.1:8500").set("consul.scheme", "https")
                .set("consul.token", "t").set("consul.register_service", true);
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void everyKeyAnswersWithAConfigOrNamedProblems(Object value) {
        SoftAssertions soft = new SoftAssertions();
        for (Supplier<Fixture> fixture : FIXTURES) {
            for (String path : paths(fixture.get())) {
                String yaml = fixture.get().set(path, value).yaml();
                try {
                    PghaConfig c = PghaConfig.parse(yaml, Map.of());
                    soft.assertThat(c.toString()).as(path).isNotEmpty();
                } catch (ConfigException e) {
                    soft.assertThat(e.problems()).as(path).isNotEmpty()
                            .allSatisfy(p -> assertThat(p.path()).isNotBlank())
                            .allSatisfy(p -> assertThat(p.message()).isNotBlank());
                } catch (RuntimeException | StackOverflowError e) {
                    soft.fail(path + " = " + value + " threw " + e, e);
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void aScalarWhereASectionBelongsIsNamed() {
        SoftAssertions soft = new SoftAssertions();
        for (Supplier<Fixture> fixture : FIXTURES) {
            for (String path : paths(fixture.get())) {
                if (!(valueAt(fixture.get(), path) instanceof Map<?, ?>) || isFreeForm(path)) {
                    continue;
                }
                soft.assertThat(fixture.get().set(path, "garbage").problems()).as(path)
                        .contains(path + ": expected a mapping, got \"garbage\"");
            }
        }
        soft.assertAll();
    }

    @Test
    void aMappingWhereAValueBelongsIsNamed() {
        SoftAssertions soft = new SoftAssertions();
        for (Supplier<Fixture> fixture : FIXTURES) {
            for (String path : paths(fixture.get())) {
                if (valueAt(fixture.get(), path) instanceof Map<?, ?> || isFreeForm(path)) {
                    continue;
                }
                List<String> problems = fixture.get().set(path, Map.of("x", 1)).problems();
                soft.assertThat(problems).as(path).anySatisfy(p -> assertThat(p).startsWith(path));
            }
        }
        soft.assertAll();
    }

    @Test
    void nullEverywhereIsAbsentNeverACrash() {
        for (Supplier<Fixture> fixture : FIXTURES) {
            for (String path : paths(fixture.get())) {
                String yaml = fixture.get().set(path, null).yaml();
                try {
                    PghaConfig.parse(yaml, Map.of());
                } catch (ConfigException e) {
                    assertThat(e.problems()).as(path).isNotEmpty();
                }
            }
        }
    }

    @Test
    void requiredValuesSetToNullAreReportedAsRequired() {
        assertThat(Fixture.full().set("postgresql.data_dir", null).set("scope", null).problems())
                .containsExactly("scope: required (or set PGHA_SCOPE)", "postgresql.data_dir: required");
    }

    private static boolean isFreeForm(String path) {
        return FREE_FORM.stream().anyMatch(path::startsWith);
    }

    /** Every key path in the fixture, parents before children; keys with dots (GUC names) are left out. */
    static List<String> paths(Fixture f) {
        List<String> out = new ArrayList<>();
        collect(Fixture.tree(f.yaml()), "", out);
        return out;
    }

    private static void collect(Map<?, ?> map, String prefix, List<String> out) {
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (key.contains(".")) {
                return;
            }
            String path = prefix + key;
            out.add(path);
            if (v instanceof Map<?, ?> child) {
                collect(child, path + ".", out);
            }
        });
    }

    private static Object valueAt(Fixture f, String path) {
        Object at = Fixture.tree(f.yaml());
        for (String key : path.split("\\.")) {
            at = ((Map<?, ?>) at).get(key);
        }
        return at;
    }
}
