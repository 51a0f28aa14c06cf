package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Same seed, same numbers (bitwise); the thread-count check runs in child JVMs (see ThreadDeterminismTest). */
class DeterminismTest {
  @Test
  void theSameSeedGivesBitwiseTheSameLossCurve() throws Exception {
    TrainResult a = Fixture.classifier(11, Fixture.quadrant()).epochs(2).build().run();
    TrainResult b = Fixture.classifier(11, Fixture.quadrant()).epochs(2).build().run();
    assertArrayEquals(a.stepLosses(), b.stepLosses());
    assertEquals(a.finalMetrics(), b.finalMetrics());
    TrainResult c = Fixture.classifier(12, Fixture.quadrant()).epochs(2).build().run();
    assertFalse(java.util.Arrays.equals(a.stepLosses(), c.stepLosses()), "another seed, another curve");
  }
}
