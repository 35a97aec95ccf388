package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser DeploymentFilesTest relies on: the constructs our files use, and loud failure outside them. */
class MiniYamlTest {

  @Test
  void parsesNestedMappingsSequencesAndScalars() {
    String yaml = """
        # comment
        services:
          web:
            image: noom:local   # trailing comment
            ports:
              - "80:8080"
            command: ["redis-server", "--save", "", "--appendonly", "no"]
            environment:
              URL: redis://redis:6379
              SECRET: "${TURN_SECRET:?set it}"
              QUOTED: 'it''s'
            empty: {}
        list:
        - name: a
          value: "1"
        - plain
        """;
    Object parsed = MiniYaml.parse(yaml);

    Map<?, ?> web = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) parsed).get("services")).get("web");
    assertEquals("noom:local", web.get("image"));
    assertEquals(List.of("80:8080"), web.get("ports"));
    assertEquals(List.of("redis-server", "--save", "", "--appendonly", "no"), web.get("command"));
    assertEquals(Map.of("URL", "redis://redis:6379", "SECRET", "${TURN_SECRET:?set it}", "QUOTED", "it's"),
        web.get("environment"));
    assertEquals(Map.of(), web.get("empty"));
    assertEquals(List.of(Map.of("name", "a", "value", "1"), "plain"), ((Map<?, ?>) parsed).get("list"));
  }

  @Test
  void splitsDocuments() {
    List<Object> docs = MiniYaml.parseAll("kind: A\n---\nkind: B\n");
    assertEquals(List.of(Map.of("kind", "A"), Map.of("kind", "B")), docs);
  }

  @Test
  void sequenceItemMappingsKeepTheirNestedBlocks() {
    Object parsed = MiniYaml.parse("""
        env:
          - name: TURN_SECRET
            valueFrom:
              secretKeyRef:
                name: noom-turn
                key: secret
          - name: PORT
            value: "8080"
        """);
    assertEquals(List.of(
            Map.of("name", "TURN_SECRET", "valueFrom", Map.of("secretKeyRef", Map.of("name", "noom-turn", "key", "secret"))),
            Map.of("name", "PORT", "value", "8080")),
        ((Map<?, ?>) parsed).get("env"));
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("a: &x 1\nb: *x\n"));
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("a: |\n  text\n"));
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("a: 1\na: 2\n"));
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("a:\n\tb: 1\n"));
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("a:\n    b: 1\n  c: 2\n"));
    assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse("just a line without colon\n"));
  }
}
