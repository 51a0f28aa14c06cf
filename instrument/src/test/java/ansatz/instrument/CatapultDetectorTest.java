package ansatz.instrument;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CatapultDetectorTest {
  private static CatapultDetector feed(double... losses) {
    CatapultDetector d = new CatapultDetector();
    for (int i = 0; i < losses.length; i++) d.observe(i, losses[i]);
    return d;
  }

  @Test
  void monotoneCurveHasNoCatapult() {
    assertTrue(feed(1, 0.9, 0.8, 0.5, 0.4, 0.39).events().isEmpty());
  }

  @Test
  void oneSpikeThatReturnsIsCounted() {
    CatapultDetector d = feed(1, 0.8, 0.7, 5, 40, 12, 0.9, 0.6, 0.5);
    assertEquals(1, d.events().size());
    CatapultDetector.Event e = d.events().get(0);
    assertEquals(3, e.startStep());
    assertEquals(4, e.peakStep());
    assertEquals(40, e.peakLoss());
    assertEquals(7, e.endStep());
    assertEquals(0.7, e.minBefore());
  }

  @Test
  void spikeThatNeverReturnsIsNotCounted() {
    CatapultDetector d = feed(1, 0.5, 3, 10, 100, 1000);
    assertTrue(d.events().isEmpty());
    assertTrue(d.inSpike());
  }

  @Test
  void smallBumpBelowTwiceTheMinimumIsNotASpike() {
    assertTrue(feed(1, 0.5, 0.9, 0.4, 0.3).events().isEmpty());
  }

  @Test
  void twoSpikesAreCountedSeparately() {
    assertEquals(2, feed(1, 0.5, 3, 0.4, 0.3, 2, 0.2, 0.1).events().size());
  }
}
