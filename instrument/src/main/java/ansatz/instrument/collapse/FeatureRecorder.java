package ansatz.instrument.collapse;

import ansatz.autograd.Grad;
import ansatz.autograd.HookHandle;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the features of one module -- its input or its output, whichever {@link Side} says --
 * over every forward call made while it is open (a forward hook; {@link #close()} removes it).
 * Each call contributes its rows (first axis = samples, the rest flattened), detached, in call
 * order. Use it around an evaluation loop, or through {@link #capture} for one batch.
 *
 * <pre>{@code
 * try (FeatureRecorder rec = new FeatureRecorder(layer, FeatureRecorder.Side.OUTPUT)) {
 *   for (Batch b : loader) model.call(b.inputs());
 *   Tensor features = rec.features();   // n x d, float64
 * }
 * }</pre>
 */
public final class FeatureRecorder implements AutoCloseable {
  /** Which tensor of the module call is the feature. */
  public enum Side {
    /** what the module received (for a Linear: h_l) */
    INPUT,
    /** what the module returned (for a Linear: z_l; for an activation: h_{l+1}) */
    OUTPUT
  }

  private final List<double[]> chunks = new ArrayList<>();
  private final HookHandle handle;
  private int rows;
  private int width = -1;

  /** Starts recording {@code side} of every call of {@code module}. */
  public FeatureRecorder(Module module, Side side) {
    if (module == null || side == null) throw new IllegalArgumentException("FeatureRecorder: module and side must not be null");
    handle = module.registerForwardHook((m, in, out) -> {
      record(m, side == Side.INPUT ? in : out);
      return null;
    });
  }

  private void record(Module m, Tensor t) {
    if (t.dim() == 0 || t.size(0) == 0) {
      throw new IllegalArgumentException("FeatureRecorder: " + m + " produced features of shape " + Shape.str(t.shape()) + " without a sample axis");
    }
    int n = t.size(0), d = t.numel() / n;
    if (width >= 0 && d != width) {
      throw new IllegalArgumentException("FeatureRecorder: " + m + " gave " + d + " features per sample, earlier calls gave " + width);
    }
    width = d;
    try (Grad.Scope off = Grad.disabled()) {
      chunks.add(t.detach().toDoubleArray());
    }
    rows += n;
  }

  /** {@return all recorded rows as a float64 (n, d) tensor (a copy)} */
  public Tensor features() {
    if (rows == 0) throw new IllegalStateException("FeatureRecorder: nothing recorded (the module did not run while the recorder was open)");
    double[] all = new double[rows * width];
    int off = 0;
    for (double[] c : chunks) {
      System.arraycopy(c, 0, all, off, c.length);
      off += c.length;
    }
    return Tensor.wrap(all, rows, width);
  }

  /** {@return number of rows recorded so far} */
  public int rows() {
    return rows;
  }

  /** Forgets what was recorded (the hook stays). */
  public void clear() {
    chunks.clear();
    rows = 0;
    width = -1;
  }

  @Override
  public void close() {
    handle.close();
  }

  /**
   * Runs {@code model} on {@code inputs} in batches (grad off) and returns the features of
   * {@code module}, float64 (n, d), rows in input order.
   *
   * @param batchSize rows per forward call (bounds memory), &gt; 0
   */
  public static Tensor capture(Module model, Module module, Side side, Tensor inputs, int batchSize) {
    if (batchSize <= 0) throw new IllegalArgumentException("FeatureRecorder.capture: batchSize must be > 0, got " + batchSize);
    if (inputs.dim() == 0) throw new IllegalArgumentException("FeatureRecorder.capture: inputs need a sample axis");
    int n = inputs.size(0);
    try (FeatureRecorder rec = new FeatureRecorder(module, side); Grad.Scope off = Grad.disabled()) {
      for (int start = 0; start < n; start += batchSize) model.call(inputs.narrow(0, start, Math.min(batchSize, n - start)));
      if (rec.rows() != n) {
        throw new IllegalStateException("FeatureRecorder.capture: " + module + " produced " + rec.rows() + " rows for " + n
            + " inputs (it must run exactly once per forward, on all samples)");
      }
      return rec.features();
    }
  }
}
