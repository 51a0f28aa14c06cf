package ansatz.nn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void readsBackWhatJsonWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a \"quoted\"\\ line\nwith\ttabs and \u0001");
    m.put("n", 42);
    m.put("x", -1.25e-7);
    m.put("nan", Double.NaN);
    m.put("inf", Double.NEGATIVE_INFINITY);
    m.put("flag", true);
    m.put("none", null);
    m.put("list", List.of(1.5, "two", List.of()));
    m.put("arr", new double[] {1, 2.5});
    m.put("empty", Map.of());
    for (String text : List.of(Json.write(m), Json.pretty(m))) {
      Map<String, Object> r = JsonReader.parseObject(text);
      assertEquals(List.copyOf(m.keySet()), List.copyOf(r.keySet()), "key order kept");
      assertEquals(m.get("name"), r.get("name"));
      assertEquals(42.0, r.get("n"));
      assertEquals(-1.25e-7, r.get("x"));
      assertEquals("NaN", r.get("nan"), "non-finite numbers are strings");
      assertEquals("-Infinity", r.get("inf"));
      assertEquals(Boolean.TRUE, r.get("flag"));
      assertNull(r.get("none"));
      assertEquals(List.of(1.5, "two", List.of()), r.get("list"));
      assertEquals(List.of(1.0, 2.5), r.get("arr"));
      assertEquals(Map.of(), r.get("empty"));
    }
  }

  @Test
  void rejectsInvalidJsonNamingTheOffset() {
    for (String bad : List.of("", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "NaN", "01", "\"open", "{\"a\":1} x", "tru", "{a:1}", "1.")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
      assertTrue(e.getMessage().contains("at offset"), e.getMessage());
    }
    assertEquals(List.of(), JsonReader.parse(" [ ] "));
    assertEquals("\u00e9", JsonReader.parse("\"\\u00e9\""));
  }
}
