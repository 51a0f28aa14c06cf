package ansatz.instrument.ntk;

import ansatz.autograd.Autograd;
import ansatz.autograd.Grad;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;
import ansatz.instrument.math.Matrices;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import java.util.List;

/**
 * The empirical neural tangent kernel of DEFINITIONS.md section 7 on a probe batch:
 * Theta = J J^T / n, with J the (n c) x p Jacobian of the flattened outputs f(x_1..x_n) (row
 * {@code i*c + k} is output k at sample i) with respect to all p parameters.
 *
 * <p><b>How it is computed without per-sample gradients.</b> For a Linear layer l with input h_l
 * (n x d_l), scale s_l (1 in the standard parameterization, 1/sqrt(d_l) in the NTK one) and
 * pre-activation z_l = s_l h_l W_l^T + b_l, the weight gradient of f_k at x_i is the outer product
 * s_l g_{l,k}(x_i) h_l(x_i)^T with g_{l,k} = d f_k / d z_l. Inner products of outer products
 * factor, so
 *
 * <pre>
 *   n Theta[(i,k),(j,k')] = sum_l Gamma_l[(i,k),(j,k')] * (s_l^2 h_l(x_i).h_l(x_j) + [l has a bias])
 *   Gamma_l[(i,k),(j,k')] = g_{l,k}(x_i) . g_{l,k'}(x_j)
 * </pre>
 *
 * One forward pass records every (h_l, z_l) with forward hooks, and one functional backward per
 * output k ({@link Autograd#grad}) gives g_{l,k} for all layers at once. Cost: c backward passes and,
 * per layer, one (n c) x (n c) x d_out Gram product; memory (n c)^2 doubles.
 *
 * <p>Only models whose parameters all sit in {@link Linear} layers, each run once per forward, are
 * accepted (anything else is rejected with the offending names). Conv layers are not covered yet.
 * The matrix is float64 whatever the model's type.
 */
public final class EmpiricalNtk {
  private final double[] theta;
  private final int n;
  private final int c;
  private final double[] predictions;

  private EmpiricalNtk(double[] theta, int n, int c, double[] predictions) {
    this.theta = theta;
    this.n = n;
    this.c = c;
    this.predictions = predictions;
  }

  /**
   * Computes Theta for {@code model} at its current parameters on the probe batch.
   *
   * @param model a network whose parameters all belong to Linear layers; it must map the batch to
   *     shape (n) (one output) or (n, c)
   * @param inputs the probe batch, first axis = samples (any trailing shape the model accepts)
   * @throws IllegalArgumentException naming the problem (unsupported parameters, shared layers,
   *     output or layer shapes that are not per-sample rows)
   */
  public static EmpiricalNtk compute(Module model, Tensor inputs) {
    String op = "EmpiricalNtk.compute";
    if (model == null || inputs == null) throw new IllegalArgumentException(op + ": model and inputs must not be null");
    if (inputs.dim() == 0 || inputs.size(0) == 0) {
      throw new IllegalArgumentException(op + ": inputs need a non-empty sample axis, got shape " + Shape.str(inputs.shape()));
    }
    int n = inputs.size(0);
    Tensor f;
    List<LinearTape.Call> calls;
    try (LinearTape tape = new LinearTape(op, model); Grad.Scope on = Grad.enabled()) {
      f = model.call(inputs);
      calls = tape.calls(op);
    }
    int c = outputCount(op, f, n);
    if (!f.requiresGrad()) throw new IllegalStateException(op + ": the model output does not depend on any parameter");
    long size = (long) n * c;
    if (size * size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(op + ": (n c)^2 = " + size * size + " entries do not fit in one array; use a smaller probe batch (n = " + n + ", c = " + c + ")");
    }
    int rows = (int) size;
    Tensor[] z = new Tensor[calls.size()];
    double[][] g = new double[calls.size()][];
    for (int l = 0; l < z.length; l++) {
      LinearTape.Call call = calls.get(l);
      requireRows(op, call, "input", call.input(), n);
      requireRows(op, call, "output", call.output(), n);
      z[l] = call.output();
      g[l] = new double[rows * call.output().size(1)];
    }
    // g[l] row i*c + k = d f_k(x_i) / d z_l(x_i): one functional backward per output.
    for (int k = 0; k < c; k++) {
      Tensor[] gk = Autograd.grad(new Tensor[] {f}, z, new Tensor[] {outputSeed(f, n, c, k)}, k < c - 1);
      for (int l = 0; l < z.length; l++) {
        int m = z[l].size(1);
        double[] src = gk[l].toDoubleArray();
        for (int i = 0; i < n; i++) System.arraycopy(src, i * m, g[l], (i * c + k) * m, m);
      }
    }
    double[] theta = new double[rows * rows];
    double[] gamma = new double[rows * rows];
    for (int l = 0; l < z.length; l++) {
      LinearTape.Call call = calls.get(l);
      int m = z[l].size(1);
      Gemm.dgemm(false, true, rows, rows, m, 1, g[l], 0, m, g[l], 0, m, 0, gamma, 0, rows);
      double[] p = inputGram(call);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double pij = p[i * n + j] / n;
          for (int k = 0; k < c; k++) {
            int r = (i * c + k) * rows + j * c;
            for (int k2 = 0; k2 < c; k2++) theta[r + k2] += gamma[r + k2] * pij;
          }
        }
      }
    }
    return new EmpiricalNtk(theta, n, c, f.toDoubleArray());
  }

  /** s_l^2 H H^T (+ 1 for the bias), n x n: the input side of every parameter of the layer. */
  private static double[] inputGram(LinearTape.Call call) {
    Linear lin = call.layer();
    int n = call.input().size(0), d = call.input().size(1);
    double[] h = call.input().toDoubleArray();
    double s = lin.parameterization() == Parameterization.NTK ? 1 / Math.sqrt(lin.inFeatures()) : 1;
    double[] p = new double[n * n];
    Gemm.dgemm(false, true, n, n, d, s * s, h, 0, d, h, 0, d, 0, p, 0, n);
    if (lin.bias() != null) for (int i = 0; i < p.length; i++) p[i] += 1;
    return p;
  }

  private static int outputCount(String op, Tensor f, int n) {
    if (f.dim() == 1 && f.size(0) == n) return 1;
    if (f.dim() == 2 && f.size(0) == n && f.size(1) > 0) return f.size(1);
    throw new IllegalArgumentException(op + ": the model output must have shape (n) or (n, c) with n = " + n
        + " probe samples, got " + Shape.str(f.shape()));
  }

  private static void requireRows(String op, LinearTape.Call call, String what, Tensor t, int n) {
    if (t.dim() != 2 || t.size(0) != n) {
      throw new IllegalArgumentException(op + ": Linear layer '" + call.name() + "' got " + what + " of shape " + Shape.str(t.shape())
          + "; the Gamma/H construction needs one row per probe sample, shape (" + n + ", features)");
    }
  }

  private static Tensor outputSeed(Tensor f, int n, int c, int k) {
    double[] s = new double[n * c];
    for (int i = 0; i < n; i++) s[i * c + k] = 1;
    return Tensor.of(s, f.shape()).to(f.dtype());
  }

  /** @return Theta as a float64 (n c) x (n c) tensor (a copy); entry (i*c+k, j*c+k') */
  public Tensor matrix() {
    return Tensor.of(theta, size(), size());
  }

  /** @return Theta[(i,k),(j,k')] */
  public double entry(int i, int k, int j, int k2) {
    return theta[index(i, k) * size() + index(j, k2)];
  }

  /** @return the row/column of output k at sample i: i*c + k */
  public int index(int sample, int output) {
    if (sample < 0 || sample >= n || output < 0 || output >= c) {
      throw new IndexOutOfBoundsException("EmpiricalNtk: (sample " + sample + ", output " + output + ") outside " + n + " x " + c);
    }
    return sample * c + output;
  }

  /** @return number of probe samples n */
  public int samples() {
    return n;
  }

  /** @return number of network outputs c */
  public int outputCount() {
    return c;
  }

  /** @return n c, the side of Theta */
  public int size() {
    return n * c;
  }

  /** @return f(x) on the probe batch, float64 (n, c), a copy: the predictions Theta was taken at */
  public Tensor predictions() {
    return Tensor.of(predictions, n, c);
  }

  /** @return the k largest eigenpairs by Lanczos ({@link Lanczos#top}) */
  public TopEigen top(int k) {
    return Lanczos.top(theta, size(), k);
  }

  /** @return lambda_max(Theta) by Lanczos */
  public double lambdaMax() {
    return top(1).values()[0];
  }

  /** @return the full eigendecomposition (EJML, ascending; O((n c)^3), a check for small batches) */
  public Matrices.Eigen exactEigen() {
    return Matrices.symmetricEigen(matrix());
  }
}
