package ansatz.autograd;

/**
 * A seeded, splittable random number generator (SplitMix64). Every random tensor in Ansatz comes from
 * an explicit {@code Rng}, so a seed fixes every number. {@link #split()} derives an independent
 * child stream; parallel code gives each task its own child in a fixed order, so results do not
 * depend on the thread count. The state is two longs plus a cached normal, saved in checkpoints.
 */
public final class Rng {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long seed;
  private long gamma;
  private double spareNormal;
  private boolean hasSpare;

  /** @param seed any long; equal seeds give equal streams */
  public Rng(long seed) {
    this(mix64(seed), GOLDEN_GAMMA);
  }

  private Rng(long seed, long gamma) {
    this.seed = seed;
    this.gamma = gamma;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static long mixGamma(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    z = (z ^ (z >>> 33)) | 1L;
    int n = Long.bitCount(z ^ (z >>> 1));
    return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
  }

  /** {@return the next 64 random bits} */
  public long nextLong() {
    seed += gamma;
    return mix64(seed);
  }

  /** {@return a uniform double in [0, 1)} */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** {@return a uniform int in [0, bound)} */
  public int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
    // Lemire's nearly-divisionless method on 32 random bits, rejection keeps it exactly uniform.
    long m = ((nextLong() >>> 32) & 0xffffffffL) * bound;
    long l = m & 0xffffffffL;
    if (l < bound) {
      long t = (0x100000000L - bound) % bound;
      while (l < t) {
        m = ((nextLong() >>> 32) & 0xffffffffL) * bound;
        l = m & 0xffffffffL;
      }
    }
    return (int) (m >>> 32);
  }

  /** {@return a standard normal sample (Marsaglia's polar method)} */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareNormal;
    }
    double u, v, s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double m = Math.sqrt(-2 * Math.log(s) / s);
    spareNormal = v * m;
    hasSpare = true;
    return u * m;
  }

  /** {@return an independent generator; this one advances by two draws} */
  public Rng split() {
    return new Rng(mix64(nextLong()), mixGamma(nextLong()));
  }

  /** {@return a random permutation of 0..n-1 (Fisher-Yates)} */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** {@return the full state, for checkpoints: {seed, gamma, spare bits, hasSpare}} */
  public long[] state() {
    return new long[] {seed, gamma, Double.doubleToRawLongBits(spareNormal), hasSpare ? 1 : 0};
  }

  /**
   * Puts this generator back into a saved {@link #state()}, in place, so that objects holding it (a
   * data loader, say) continue exactly where the saved one stopped (resuming from a checkpoint).
   */
  public void setState(long[] state) {
    Rng r = fromState(state);
    this.seed = r.seed;
    this.gamma = r.gamma;
    this.spareNormal = r.spareNormal;
    this.hasSpare = r.hasSpare;
  }

  /** {@return a generator that continues exactly where the one whose {@link #state()} was saved stopped} */
  public static Rng fromState(long[] state) {
    if (state == null || state.length != 4) {
      throw new IllegalArgumentException("Rng.fromState: expected 4 longs, got " + (state == null ? "null" : state.length));
    }
    Rng r = new Rng(state[0], state[1]);
    r.spareNormal = Double.longBitsToDouble(state[2]);
    r.hasSpare = state[3] != 0;
    return r;
  }
}
