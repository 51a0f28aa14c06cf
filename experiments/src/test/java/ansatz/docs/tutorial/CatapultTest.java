package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.docs.Samples;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Runs the sample of docs/tutorial/07-catapult.md and checks the two phases of DEFINITIONS.md section 7. */
class CatapultTest {
  private static Catapult.Both both() {
    return Samples.run(Catapult.class, "catapult").as();
  }

  @Test
  void belowTheCriticalRateTheLossFallsMonotonically() {
    Catapult.Run lazy = both().lazy();
    double[] l = lazy.losses();
    for (int i = 1; i < l.length; i++) assertTrue(l[i] <= l[i - 1], "lazy phase: loss rose at step " + i + ": " + l[i - 1] + " -> " + l[i]);
    assertEquals(0, lazy.catapults().size());
    assertTrue(lazy.lambdaEnd() < 2 / lazy.lr());
  }

  @Test
  void aboveItTheLossSpikesAndComesBackWithASmallerLambdaMax() {
    Catapult.Run run = both().catapult();
    double[] l = run.losses();
    double start = l[0], peak = Arrays.stream(l).max().orElseThrow(), end = l[l.length - 1];
    assertTrue(peak > 10 * start, "the spike: peak " + peak + " vs start " + start);
    assertTrue(end < start, "the loss comes back below where it started: " + end + " vs " + start);
    assertEquals(1, run.catapults().size(), "one catapult by the default detection rule");
    assertTrue(run.lambdaStart() > 2 / run.lr(), "at the start the rate is above critical: lambda " + run.lambdaStart() + " > 2/eta " + 2 / run.lr());
    assertTrue(run.lambdaEnd() < 2 / run.lr(), "after the catapult lambda_max < 2/eta: " + run.lambdaEnd() + " vs " + 2 / run.lr());
  }

  @Test
  void bothRunsStartFromTheSameNetwork() {
    Catapult.Both b = both();
    assertEquals(b.lazy().losses()[0], b.catapult().losses()[0], 0);
    assertEquals(b.lambda0(), b.catapult().lambdaStart(), 1e-9 * b.lambda0());
  }
}
