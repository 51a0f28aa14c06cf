package ansatz.nn.data;

import ansatz.autograd.Rng;
import java.util.Arrays;

/** Train/test splitting helpers. */
public final class Splits {
  private Splits() {}

  /**
   * A seeded random hold-out split: {@code round(testFraction * n)} samples (at least 1 and at most
   * n - 1 when n &gt;= 2) go to the test set; both parts keep the original row order.
   *
   * @param data the full data set
   * @param testFraction fraction held out, in (0, 1); 0.2 is the usual choice
   * @param seed same seed, same split
   */
  public static Split holdOut(Dataset data, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("holdOut: testFraction must be in (0, 1), got " + testFraction);
    }
    int n = data.size();
    if (n < 2) throw new IllegalArgumentException("holdOut: '" + data.name() + "' has " + n + " samples, need at least 2");
    int nTest = (int) Math.max(1, Math.min(n - 1, Math.round(testFraction * n)));
    int[] perm = new Rng(seed).permutation(n);
    int[] test = Arrays.copyOfRange(perm, 0, nTest);
    int[] train = Arrays.copyOfRange(perm, nTest, n);
    Arrays.sort(test);
    Arrays.sort(train);
    return new Split(data.subset(train).withName(data.name() + "-train"), data.subset(test).withName(data.name() + "-test"));
  }

  /** {@link #holdOut(Dataset, double, long)} with the usual 20% test fraction. */
  public static Split holdOut(Dataset data, long seed) {
    return holdOut(data, 0.2, seed);
  }
}
