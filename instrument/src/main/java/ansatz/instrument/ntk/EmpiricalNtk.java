package ansatz.instrument.ntk;

import ansatz.autograd.Autograd;
import ansatz.autograd.Grad;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;
import ansatz.instrument.math.Matrices;
import ansatz.nn.Conv2d;
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
 * <p><b>Conv layers.</b> A {@link Conv2d} shares its weight across positions, so its weight gradient
 * is a sum over positions p of outer products, s g_{l,k}(x_i)[:, p] P_i[:, p]^T with P_i the im2col
 * patches of the layer input, and the Gram of two such sums has cross-position terms: it does not
 * factor into a Gamma and an input Gram. For conv layers the per-sample weight gradients
 * s G_{i,k} P_i^T (out x in*kh*kw, plus the bias gradient sum_p G_{i,k}[:, p]) are therefore formed
 * from the recorded quantities (still no extra backward pass) and their Gram is added to n Theta.
 * Memory: (n c) x (conv parameters) doubles per conv layer.
 *
 * <p>Only models whose parameters all sit in {@link Linear} or {@link Conv2d} layers, each run once
 * per forward, are accepted (anything else is rejected with the offending names). The matrix is
 * float64 whatever the model's type.
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
    List<LayerTape.Call> calls;
    try (LayerTape tape = new LayerTape(op, model); Grad.Scope on = Grad.enabled()) {
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
      LayerTape.Call call = calls.get(l);
      if (call.layer() instanceof Linear) {
        requireRows(op, call, "input", call.input(), n);
        requireRows(op, call, "output", call.output(), n);
      } else if (call.output().dim() != 4 || call.output().size(0) != n) {
        throw new IllegalArgumentException(op + ": Conv2d layer '" + call.name() + "' gave output of shape " + Shape.str(call.output().shape())
            + "; expected (" + n + ", channels, height, width)");
      }
      z[l] = call.output();
      g[l] = new double[rows * (call.output().numel() / n)];
    }
    // g[l] row i*c + k = d f_k(x_i) / d z_l(x_i): one functional backward per output.
    for (int k = 0; k < c; k++) {
      Tensor[] gk = Autograd.grad(new Tensor[] {f}, z, new Tensor[] {outputSeed(f, n, c, k)}, k < c - 1);
      for (int l = 0; l < z.length; l++) {
        int m = z[l].numel() / n;
        double[] src = gk[l].toDoubleArray();
        for (int i = 0; i < n; i++) System.arraycopy(src, i * m, g[l], (i * c + k) * m, m);
      }
    }
    double[] theta = new double[rows * rows];
    double[] gamma = null;
    for (int l = 0; l < z.length; l++) {
      LayerTape.Call call = calls.get(l);
      if (call.layer() instanceof Conv2d conv) {
        addConvLayer(op, theta, rows, n, c, conv, call, g[l]);
        continue;
      }
      if (gamma == null) gamma = new double[rows * rows];
      int m = z[l].size(1);
      Gemm.dgemm(false, true, rows, rows, m, 1, g[l], 0, m, g[l], 0, m, 0, gamma, 0, rows);
      double[] p = inputGram((Linear) call.layer(), call.input());
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

  /**
   * Adds (1/n) A A^T to theta, A the (n c) x (weights + biases) matrix of per-sample parameter
   * gradients of a conv layer: row (i,k) = [vec(s G_{i,k} P_i^T), sum_p G_{i,k}[:, p]], with G_{i,k}
   * = d f_k / d z (out x L) and P_i the im2col patches (in*kh*kw x L) of the layer input at x_i.
   */
  private static void addConvLayer(String op, double[] theta, int rows, int n, int c, Conv2d conv, LayerTape.Call call, double[] g) {
    Tensor cols;
    try (Grad.Scope off = Grad.disabled()) {
      cols = call.input().detach().im2col(conv.kernelHeight(), conv.kernelWidth(), conv.stride(), conv.padding(), conv.dilation());
    }
    int out = conv.outChannels(), q = cols.size(1), positions = cols.size(2);
    if (positions * out * n != call.output().numel()) {
      throw new IllegalStateException(op + ": Conv2d layer '" + call.name() + "': " + positions + " patch positions do not match output "
          + Shape.str(call.output().shape()));
    }
    boolean bias = conv.bias() != null;
    int width = out * q + (bias ? out : 0);
    if ((long) rows * width > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(op + ": Conv2d layer '" + call.name() + "' would need " + (long) rows * width
          + " per-sample gradient entries; use a smaller probe batch");
    }
    double[] patches = cols.toDoubleArray();
    double[] a = new double[rows * width];
    double s = conv.forwardScale();
    int gRow = out * positions;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        int r = i * c + k;
        Gemm.dgemm(false, true, out, q, positions, s, g, r * gRow, positions, patches, i * q * positions, positions, 0, a, r * width, q);
        if (bias) {
          for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int p = 0; p < positions; p++) sum += g[r * gRow + o * positions + p];
            a[r * width + out * q + o] = sum;
          }
        }
      }
    }
    Gemm.dgemm(false, true, rows, rows, width, 1.0 / n, a, 0, width, a, 0, width, 1, theta, 0, rows);
  }

  /** s_l^2 H H^T (+ 1 for the bias), n x n: the input side of every parameter of the layer. */
  private static double[] inputGram(Linear lin, Tensor input) {
    int n = input.size(0), d = input.size(1);
    double[] h = input.toDoubleArray();
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

  private static void requireRows(String op, LayerTape.Call call, String what, Tensor t, int n) {
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

  /** {@return Theta as a float64 (n c) x (n c) tensor (a copy); entry (i*c+k, j*c+k')} */
  public Tensor matrix() {
    return Tensor.of(theta, size(), size());
  }

  /** {@return Theta[(i,k),(j,k')]} */
  public double entry(int i, int k, int j, int k2) {
    return theta[index(i, k) * size() + index(j, k2)];
  }

  /** {@return the row/column of output k at sample i: i*c + k} */
  public int index(int sample, int output) {
    if (sample < 0 || sample >= n || output < 0 || output >= c) {
      throw new IndexOutOfBoundsException("EmpiricalNtk: (sample " + sample + ", output " + output + ") outside " + n + " x " + c);
    }
    return sample * c + output;
  }

  /** {@return number of probe samples n} */
  public int samples() {
    return n;
  }

  /** {@return number of network outputs c} */
  public int outputCount() {
    return c;
  }

  /** {@return n c, the side of Theta} */
  public int size() {
    return n * c;
  }

  /** {@return f(x) on the probe batch, float64 (n, c), a copy: the predictions Theta was taken at} */
  public Tensor predictions() {
    return Tensor.of(predictions, n, c);
  }

  /** {@return the k largest eigenpairs by Lanczos ({@link Lanczos#top})} */
  public TopEigen top(int k) {
    return Lanczos.top(theta, size(), k);
  }

  /**
   * {@return lambda_max(Theta) by Lanczos, or NaN when Theta has a non-finite entry (a diverged or
   *     overflowed network), so that a probe can record the divergence instead of failing}
   */
  public double lambdaMax() {
    return isFinite() ? top(1).values()[0] : Double.NaN;
  }

  /** {@return whether every entry of Theta is finite} */
  public boolean isFinite() {
    for (double v : theta) if (!Double.isFinite(v)) return false;
    return true;
  }

  /** {@return the full eigendecomposition (EJML, ascending; O((n c)^3), a check for small batches)} */
  public Matrices.Eigen exactEigen() {
    return Matrices.symmetricEigen(matrix());
  }
}
