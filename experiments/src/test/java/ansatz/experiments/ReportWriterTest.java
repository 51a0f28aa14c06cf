package ansatz.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Configuration values in REPORT.md: arrays by their elements, not Java's type@hash. */
class ReportWriterTest {
  @Test
  void arraysAreWrittenByTheirElements() {
    assertEquals("[1, 8, 256]", ReportWriter.text(new int[] {1, 8, 256}));
    assertEquals("[0.1, 0.5]", ReportWriter.text(new double[] {0.1, 0.5}));
    assertEquals("[[1, 2], [3]]", ReportWriter.text(new int[][] {{1, 2}, {3}}));
    assertEquals("[a, b]", ReportWriter.text(new String[] {"a", "b"}));
    assertEquals("0.8", ReportWriter.text(0.8));
    assertEquals("null", ReportWriter.text(null));
  }
}
