package ansatz.instrument;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts catapults in a training-loss curve with the default rule of DEFINITIONS.md section 7: a
 * spike starts when the loss exceeds {@code factor} (2) times its running minimum, and is counted
 * when the loss later returns below that minimum. Feed it one loss per step.
 */
public final class CatapultDetector {
  /** One detected catapult. lambdaBefore/After are NaN unless supplied. */
  public record Event(long startStep, long peakStep, double peakLoss, long endStep, double minBefore,
      double lambdaBefore, double lambdaAfter) {}

  private final double factor;
  private final List<Event> events = new ArrayList<>();
  private double runningMin = Double.POSITIVE_INFINITY;
  private boolean inSpike;
  private long spikeStart, peakStep;
  private double peak, minAtStart, lambdaAtStart = Double.NaN, lastLambda = Double.NaN;

  /** Uses the default factor 2. */
  public CatapultDetector() {
    this(2.0);
  }

  /** @param factor how many times the running minimum the loss must exceed to start a spike (&gt; 1) */
  public CatapultDetector(double factor) {
    if (!(factor > 1)) throw new IllegalArgumentException("CatapultDetector: factor must be > 1, got " + factor);
    this.factor = factor;
  }

  /** Records the loss at a step; returns the event if this step completed one. */
  public Event observe(long step, double loss) {
    return observe(step, loss, Double.NaN);
  }

  /** Records the loss and, optionally, the current top NTK eigenvalue (NaN if unknown). */
  public Event observe(long step, double loss, double lambdaMax) {
    Event done = null;
    if (!inSpike) {
      if (loss > factor * runningMin) {
        inSpike = true;
        spikeStart = step;
        peakStep = step;
        peak = loss;
        minAtStart = runningMin;
        lambdaAtStart = lastLambda;
      }
    } else {
      if (loss > peak || Double.isNaN(loss)) {
        peak = loss;
        peakStep = step;
      }
      if (loss < minAtStart) {
        done = new Event(spikeStart, peakStep, peak, step, minAtStart, lambdaAtStart, lambdaMax);
        events.add(done);
        inSpike = false;
      }
    }
    if (!Double.isNaN(lambdaMax)) lastLambda = lambdaMax;
    if (!inSpike && loss < runningMin) runningMin = loss;
    return done;
  }

  /** {@return the completed catapults so far} */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** {@return true while a spike has started but not yet returned below the earlier minimum} */
  public boolean inSpike() {
    return inSpike;
  }
}
