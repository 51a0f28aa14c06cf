package ansatz.nn.data;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Synthetic tasks with Gaussian inputs x ~ N(0, I_d), addressed by name, deterministic from the seed.
 *
 * <table>
 *   <caption>Tasks</caption>
 *   <tr><th>name</th><th>target</th><th>population AGOP E[grad f grad f^T]</th></tr>
 *   <tr><td>x1x2</td><td>f = x1 x2</td><td>diag(1, 1, 0, ..., 0): grad f = (x2, x1, 0, ...), E[x_i^2] = 1,
 *       E[x1 x2] = 0</td></tr>
 *   <tr><td>x1x2x3</td><td>f = x1 x2 x3</td><td>diag(1, 1, 1, 0, ..., 0): grad f = (x2 x3, x1 x3, x1 x2, 0, ...),
 *       E[(x2 x3)^2] = 1, cross terms like E[x1 x2 x3^2] = 0</td></tr>
 *   <tr><td>sparse-linear</td><td>f = w.x, w k-sparse</td><td>w w^T</td></tr>
 *   <tr><td>quadrant</td><td>4 classes by the signs of x1, x2</td><td>none (piecewise constant)</td></tr>
 * </table>
 *
 * <p>Options: {@code d} (default 20), {@code n} (training samples, default 2000), {@code n-test}
 * (default 2000), {@code noise} (standard deviation of Gaussian noise added to the <em>training</em>
 * targets only, so test error measures the distance to the true function; default 0; regression tasks
 * only), {@code seed} (default 0), {@code k} (sparse-linear only, default 5).
 *
 * <p>Streams: the seed's Rng is split into independent train-input, test-input and noise streams, so the
 * test set does not change when {@code n} or {@code noise} changes. The sparse-linear weight vector
 * does not depend on the seed (the task is fixed; only the samples vary): its support is the first
 * {@code k} coordinates, with entries of random sign and magnitude in [0.5, 1.5) from a fixed stream,
 * scaled to unit norm (so Var f = 1, as for x1x2 and x1x2x3).
 */
public final class Synthetic {
  /** The task names. */
  public static final List<String> TASKS = List.of("x1x2", "x1x2x3", "sparse-linear", "quadrant");
  private static final List<String> KEYS = List.of("d", "n", "n-test", "noise", "seed", "k");
  private static final long SPARSE_W_STREAM = 0x5Fa25e11L;

  private Synthetic() {}

  /** Loads a task by name with {@code key -> value} options (see the class comment). */
  public static Split load(String task, Map<String, String> options) {
    return builder(task).options(options).build();
  }

  /** {@return a builder for the named task with all options at their defaults} */
  public static Builder builder(String task) {
    if (task == null || !TASKS.contains(task)) {
      throw new IllegalArgumentException("synthetic: unknown task '" + task + "'; known tasks: " + String.join(", ", TASKS));
    }
    return new Builder(task);
  }

  /** Typed options of one synthetic task. */
  public static final class Builder {
    private final String task;
    private int d = 20, n = 2000, nTest = 2000, k = 5;
    private double noise = 0;
    private long seed = 0;
    private boolean kGiven;

    private Builder(String task) {
      this.task = task;
    }

    /** Sets options from strings (keys d, n, n-test, noise, seed, k), checking names and values. */
    public Builder options(Map<String, String> options) {
      Options o = new Options("synthetic:" + task, options, KEYS);
      d = o.integer("d", d, 1);
      n = o.integer("n", n, 0);
      nTest = o.integer("n-test", nTest, 0);
      noise = o.number("noise", noise, 0, Double.MAX_VALUE);
      seed = o.longValue("seed", seed);
      if (o.has("k")) k(o.integer("k", k, 1));
      return this;
    }

    /** @param d input dimension */
    public Builder d(int d) { this.d = d; return this; }

    /** @param n training samples */
    public Builder n(int n) { this.n = n; return this; }

    /** @param nTest test samples */
    public Builder nTest(int nTest) { this.nTest = nTest; return this; }

    /** @param noise std of Gaussian noise added to the training targets */
    public Builder noise(double noise) { this.noise = noise; return this; }

    /** @param seed the seed every sample comes from */
    public Builder seed(long seed) { this.seed = seed; return this; }

    /** @param k nonzeros of the sparse-linear weight vector */
    public Builder k(int k) { this.k = k; this.kGiven = true; return this; }

    /** {@return the options as a canonical {@code key=value,...} string (for names and logs)} */
    public String describe() {
      return "d=" + d + ",n=" + n + ",n-test=" + nTest + ",noise=" + noise + ",seed=" + seed
          + (task.equals("sparse-linear") ? ",k=" + k : "");
    }

    /** Draws the train and test sets. */
    public Split build() {
      String src = "synthetic:" + task;
      int minD = switch (task) {
        case "x1x2", "quadrant" -> 2;
        case "x1x2x3" -> 3;
        default -> k;
      };
      if (d < minD) throw new IllegalArgumentException(src + ": d=" + d + " is too small; this task needs d >= " + minD);
      if (n < 0 || nTest < 0) throw new IllegalArgumentException(src + ": n and n-test must be >= 0");
      if (!(noise >= 0) || Double.isInfinite(noise)) throw new IllegalArgumentException(src + ": noise must be finite and >= 0, got " + noise);
      if (kGiven && !task.equals("sparse-linear")) throw new IllegalArgumentException(src + ": option k applies to sparse-linear only");
      if (noise > 0 && task.equals("quadrant")) {
        throw new IllegalArgumentException(src + ": noise applies to regression tasks only (quadrant is a classification task)");
      }
      Rng root = new Rng(seed);
      Rng trainRng = root.split(), testRng = root.split(), noiseRng = root.split();
      double[] w = task.equals("sparse-linear") ? sparseWeights(d, k) : null;
      Dataset train = draw(task + "-train", n, trainRng, noise, noiseRng, w);
      Dataset test = draw(task + "-test", nTest, testRng, 0, null, w);
      return new Split(train, test);
    }

    private Dataset draw(String name, int m, Rng rng, double noiseStd, Rng noiseRng, double[] w) {
      double[] x = new double[m * d];
      for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
      Tensor inputs = Tensor.wrap(toFloats(x), m, d);
      if (task.equals("quadrant")) {
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) labels[i] = quadrant(x[i * d], x[i * d + 1]);
        return Dataset.classification(name, inputs, labels, 4);
      }
      // Targets are computed from the float32 inputs the model sees, in double, then rounded once.
      float[] xf = inputs.floats();
      double[] y = new double[m];
      for (int i = 0; i < m; i++) {
        int r = i * d;
        y[i] = switch (task) {
          case "x1x2" -> (double) xf[r] * xf[r + 1];
          case "x1x2x3" -> (double) xf[r] * xf[r + 1] * xf[r + 2];
          default -> {
            double s = 0;
            for (int j = 0; j < d; j++) s += w[j] * xf[r + j];
            yield s;
          }
        };
        if (noiseStd > 0) y[i] += noiseStd * noiseRng.nextGaussian();
      }
      Tensor targets = Tensor.wrap(toFloats(y), m, 1);
      return new Dataset(name, inputs, targets, null, 0, populationAgop(w), predictor(w));
    }

    private Tensor populationAgop(double[] w) {
      double[] g = new double[d * d];
      switch (task) {
        case "x1x2" -> { g[0] = 1; g[d + 1] = 1; }
        case "x1x2x3" -> { g[0] = 1; g[d + 1] = 1; g[2 * d + 2] = 1; }
        default -> {
          for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) g[a * d + b] = w[a] * w[b];
        }
      }
      return Tensor.wrap(g, d, d);
    }

    /** The noiseless predictor, built from differentiable tensor ops so autograd can take its gradient. */
    private Function<Tensor, Tensor> predictor(double[] w) {
      int dim = d;
      String t = task;
      return x -> {
        if (x.dim() != 2 || x.size(1) != dim) {
          throw new IllegalArgumentException("synthetic:" + t + " true predictor: expected m x " + dim + " inputs, got shape "
              + java.util.Arrays.toString(x.shape()));
        }
        return switch (t) {
          case "x1x2" -> x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1));
          case "x1x2x3" -> x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1)).mul(x.narrow(1, 2, 1));
          default -> x.matmul(Tensor.wrap(w.clone(), dim, 1).to(x.dtype()));
        };
      };
    }
  }

  /** Quadrant class: 0 for (x1 &gt;= 0, x2 &gt;= 0), 1 for (x1 &lt; 0, x2 &gt;= 0), 2 for both negative, 3 for (x1 &gt;= 0, x2 &lt; 0). */
  static int quadrant(double x1, double x2) {
    if (x2 >= 0) return x1 >= 0 ? 0 : 1;
    return x1 < 0 ? 2 : 3;
  }

  /**
   * The fixed k-sparse unit-norm weight vector of sparse-linear in dimension d: the first k entries have
   * random sign and magnitude in [0.5, 1.5) from a stream that depends only on k, the rest are 0.
   */
  public static double[] sparseWeights(int d, int k) {
    if (k < 1 || k > d) throw new IllegalArgumentException("sparse-linear: k=" + k + " must be in [1, d=" + d + "]");
    Rng rng = new Rng(SPARSE_W_STREAM + k);
    double[] w = new double[d];
    double norm = 0;
    for (int j = 0; j < k; j++) {
      double magnitude = 0.5 + rng.nextDouble();
      w[j] = rng.nextDouble() < 0.5 ? -magnitude : magnitude;
      norm += w[j] * w[j];
    }
    norm = Math.sqrt(norm);
    for (int j = 0; j < k; j++) w[j] /= norm;
    return w;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }
}
