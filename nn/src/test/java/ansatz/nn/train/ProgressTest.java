package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static String train(Progress.Mode mode, double period) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Fixture.classifier(1, Fixture.quadrant()).epochs(2).progress(new Progress(out, mode, period)).build().run();
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainLinesWhenNotOnATerminal() throws Exception {
    String text = train(Progress.Mode.LINES, 0);
    assertFalse(text.contains("\r"), "no carriage returns in line mode");
    List<String> lines = Arrays.asList(text.split("\n"));
    assertEquals(16 + 2, lines.size(), text); // period 0: a line per step, plus one per epoch
    assertTrue(lines.get(0).startsWith("epoch 1/2 batch 1/8 step 1/16  loss "), lines.get(0));
    for (String k : List.of("acc ", "samples/s", "ETA ")) assertTrue(lines.get(0).contains(k), lines.get(0));
    String epochLine = lines.get(8);
    assertTrue(epochLine.startsWith("epoch 1/2  train loss "), epochLine);
    assertTrue(epochLine.contains("test loss") && epochLine.contains("samples/s"), epochLine);
    assertTrue(lines.get(17).startsWith("epoch 2/2  train loss "), lines.get(17));
  }

  @Test
  void linesAreThrottledByThePeriod() throws Exception {
    String text = train(Progress.Mode.LINES, 3600);
    List<String> lines = Arrays.asList(text.split("\n"));
    // The first step prints, then nothing until an hour has passed; epoch summaries always print.
    assertEquals(3, lines.size(), text);
  }

  @Test
  void aBarRedrawsInPlace() throws Exception {
    String text = train(Progress.Mode.BAR, 0);
    assertTrue(text.contains("\repoch 1/2 ["), text);
    assertTrue(text.contains("] 8/8"), "the last batch of an epoch is always drawn: " + text);
    assertTrue(text.contains("epoch 2/2  train loss"), text);
  }

  @Test
  void offPrintsNothingAndAutoIsResolved() throws Exception {
    assertEquals("", train(Progress.Mode.OFF, 0));
    Progress p = new Progress(System.out, Progress.Mode.AUTO, 1);
    assertNotEquals(Progress.Mode.AUTO, p.mode());
    assertEquals(Progress.isTerminal() ? Progress.Mode.BAR : Progress.Mode.LINES, p.mode());
  }

  @Test
  void durations() {
    assertEquals("0:05", Progress.duration(4.6));
    assertEquals("2:03", Progress.duration(123));
    assertEquals("1:00:01", Progress.duration(3601));
  }
}
