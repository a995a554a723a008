package io.pgha.config;

import io.pgha.testing.Hostile;
import io.vertx.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of the pgha.yml reader and the DCS {@code config} reader: whatever the input, the
 * answer is a config or a ConfigException whose problems each name a path and say what is wrong,
 * never another exception. Fixed seed; the budget is {@code jqwik.tries} (200, or 20000 with -Pfuzz).
 */
class ConfigFuzzTest {
    static final String SEED = "20261207";
    private static final List<String> PATHS = GarbageInputTest.paths(Fixture.full());
    private static final List<String> KEYS = PATHS.stream().map(p -> p.substring(p.lastIndexOf('.') + 1)).distinct().toList();

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void brokenCharactersInTheFullFileAreNamedProblems(@ForAll("brokenFile") String yaml) {
        assertConfigOrNamedProblems(() -> PghaConfig.parse(yaml, Map.of()), yaml);
    }

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void anyTreeAtAnyKeyIsAConfigOrNamedProblems(@ForAll("pathAndTree") Change change) {
        String yaml = Fixture.full().set(change.path(), change.value()).yaml();
        assertConfigOrNamedProblems(() -> PghaConfig.parse(yaml, Map.of()), change.toString());
    }

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void anyDcsConfigTextIsADynamicConfigOrNamedProblems(@ForAll("dcsConfigText") String json) {
        assertConfigOrNamedProblems(() -> DynamicConfig.fromJson(json), json);
    }

    @Provide
    Arbitrary<String> brokenFile() {
        return Hostile.mutated(Fixture.text("full.yml"));
    }

    @Provide
    Arbitrary<Change> pathAndTree() {
        return Combinators.combine(Arbitraries.of(PATHS), Hostile.tree(KEYS, 3)).as(Change::new);
    }

    @Provide
    Arbitrary<String> dcsConfigText() {
        String valid = DynamicConfig.defaults().toJson();
        return Arbitraries.oneOf(Hostile.mutated(valid),
                Hostile.object(KEYS, 3).map(Json::encode));
    }

    /** One key of the full file replaced by a generated value (null included). */
    record Change(String path, Object value) {
    }

    private static void assertConfigOrNamedProblems(Runnable read, String input) {
        try {
            read.run();
        } catch (ConfigException e) {
            assertThat(e.problems()).as(input).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.path()).isNotBlank())
                    .allSatisfy(p -> assertThat(p.message()).isNotBlank());
        }
    }
}
