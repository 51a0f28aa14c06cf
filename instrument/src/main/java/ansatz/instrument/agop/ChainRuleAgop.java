package ansatz.instrument.agop;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;
import ansatz.nn.Module;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer AGOPs of a model by the chain-rule form (DEFINITIONS.md sections 1, 3, 5), for all
 * probed layers from one set of backward passes:
 *
 * <ol>
 *   <li>a forward pass over a mini-batch, with forward hooks keeping each layer's pre-activation z_l;
 *   <li>for each output k, ONE {@link Autograd#grad} of the k-th output column (summed over the
 *       batch; samples do not interact) with respect to all z_l at once, the graph retained until
 *       the last k. Row i of the result is g_{i,k} = d f_k(x_i) / d z_l;
 *   <li>S_l += G^T G per layer (one symmetric GEMM pass), and the column sums of G per output for
 *       gradient centering.
 * </ol>
 *
 * After the last batch, K_l = S_l / n and AGOP_l = scale^2 W_l^T K_l W_l. Memory is O(d_l^2) plus
 * one batch; never O(n c d).
 *
 * <p>A plain {@code Sequential} of Linear, Conv2d, ReLU, Flatten and Identity layers (the MLPs and
 * CNNs of the experiments) skips the autograd graph by default: {@link FastChainRule} sweeps the
 * same tangents backward for all outputs at once, with the last hidden layer's K from the ReLU
 * mask Gram (see {@link #fastPath}). Streamed use:
 *
 * <pre>{@code
 * ChainRuleAgop.Accumulation acc = new ChainRuleAgop(model, layers).gradCentered(true).begin();
 * for (Tensor batch : batches) acc.add(batch);
 * Map<String, LayerAgop> byLayer = acc.finish();
 * }</pre>
 *
 * The model runs in evaluation mode during the probe (each module's own mode is restored) and the
 * parameters' {@code grad} fields are not touched.
 */
public final class ChainRuleAgop {
  private final Module model;
  private final List<ProbedLayer> layers;
  private int batchSize = 500;
  private boolean gradCentered;
  private int gramSamples;
  private boolean fastPath = true;
  private int fastChunkElements = FastChainRule.CHUNK_ELEMENTS;
  private boolean fastSparseRows = true;

  /** @param layers the layers to measure (see {@link ProbedLayer#select}) */
  public ChainRuleAgop(Module model, List<ProbedLayer> layers) {
    if (model == null) throw new IllegalArgumentException("ChainRuleAgop: model is null");
    if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("ChainRuleAgop: no layers to probe");
    this.model = model;
    this.layers = List.copyOf(layers);
  }

  /** Samples per forward/backward pass in {@link #compute} (default 500). @return this */
  public ChainRuleAgop batchSize(int b) {
    if (b <= 0) throw new IllegalArgumentException("ChainRuleAgop: batch size must be positive, got " + b);
    this.batchSize = b;
    return this;
  }

  /** Also compute the gradient-centered K and AGOP (default off; costs c*d extra sums). @return this */
  public ChainRuleAgop gradCentered(boolean on) {
    this.gradCentered = on;
    return this;
  }

  /** Also compute the sample-space Gram on the first {@code m} samples (0 = off, the default). @return this */
  public ChainRuleAgop gramSamples(int m) {
    if (m < 0) throw new IllegalArgumentException("ChainRuleAgop: gram sample count must be >= 0, got " + m);
    this.gramSamples = m;
    return this;
  }

  /**
   * Whether a plain {@code Sequential} of Linear, Conv2d, ReLU, Flatten and Identity layers takes
   * the graph-free sweep of {@link FastChainRule} (default on; the same numbers up to rounding).
   * Turn it off to run every batch through autograd, e.g. to honor module backward hooks.
   *
   * @return this
   */
  public ChainRuleAgop fastPath(boolean on) {
    this.fastPath = on;
    return this;
  }

  /** For tests: the fast path's explicit block size in elements (small values force many chunks). @return this */
  ChainRuleAgop fastChunkElements(int n) {
    this.fastChunkElements = n;
    return this;
  }

  /** For tests: off makes the fast path multiply masked float32 rows by GEMM instead of from index lists. @return this */
  ChainRuleAgop fastSparseRows(boolean on) {
    this.fastSparseRows = on;
    return this;
  }

  /** {@return the per-layer results over all rows of {@code inputs}, in batches of {@link #batchSize}} */
  public Map<String, LayerAgop> compute(Tensor inputs) {
    if (inputs == null || inputs.dim() < 1 || inputs.size(0) == 0) {
      throw new IllegalArgumentException("ChainRuleAgop: need a non-empty batch of inputs");
    }
    Accumulation acc = begin();
    if (acc.fast != null) acc.fast.weightsFixed(true); // no training between these batches
    int n = inputs.size(0);
    for (int s = 0; s < n; s += batchSize) acc.add(inputs.narrow(0, s, Math.min(batchSize, n - s)));
    return acc.finish();
  }

  /** {@return a fresh accumulation; feed it batches with {@link Accumulation#add}} */
  public Accumulation begin() {
    return new Accumulation();
  }

  /** Running sums over the batches seen so far. */
  public final class Accumulation {
    private final GramAccumulator[] sums = new GramAccumulator[layers.size()];
    // Per dense layer behind the last ReLU: the mask Grams of the batches so far, their readout rows
    // (the same for every batch while the weights are) and their tangent rows; folded into sums at
    // finish(), so the readout product and the C x C combination run once, not per batch.
    private final GramAccumulator[] maskGrams = new GramAccumulator[layers.size()];
    private final double[][] readouts = new double[layers.size()][];
    private final long[] maskRows = new long[layers.size()];
    private double[][][] colSums; // [layer][output k][row feature], only when centering
    private double[][][] gramRows; // [layer][output k][m * flattened g], only with gramSamples
    private int samples;
    private int outputs = -1;
    private final long[] rowsPerSample = new long[layers.size()];
    private final boolean[] inputIsModelInput = new boolean[layers.size()];
    private final FastChainRule fast = fastPath ? FastChainRule.plan(model, layers) : null;
    private int fastBatches;
    private boolean finished;

    private Accumulation() {
      for (int l = 0; l < layers.size(); l++) sums[l] = new GramAccumulator(layers.get(l).rows());
    }

    /** Adds one batch (samples along axis 0). */
    public void add(Tensor batch) {
      if (finished) throw new IllegalStateException("ChainRuleAgop: accumulation already finished");
      if (batch == null || batch.dim() < 1 || batch.size(0) == 0) throw new IllegalArgumentException("ChainRuleAgop: empty batch");
      ProbeForward.inEvalMode(model, () -> {
        addBatch(batch);
        return null;
      });
    }

    private void addBatch(Tensor batch) {
      int b = batch.size(0);
      DType dtype = ProbeForward.modelDType(model);
      if (fast != null && fast.chunkElements(fastChunkElements).sparseRows(fastSparseRows).run(batch, dtype, new FastSink(b))) {
        samples += b;
        fastBatches++;
        return;
      }
      Tensor[] z;
      Tensor f;
      try (LayerCapture capture = new LayerCapture(layers)) {
        Tensor x = ProbeForward.leafInput(batch, dtype);
        f = ProbeForward.outputMatrix("ChainRuleAgop", model.call(x), b);
        z = capture.outputs();
        Tensor[] h = capture.inputs();
        for (int l = 0; l < h.length; l++) inputIsModelInput[l] = h[l] == x;
      }
      int c = f.size(1);
      checkOutputs(c);
      for (int k = 0; k < c; k++) {
        Tensor[] g = Autograd.grad(new Tensor[] {f}, z, new Tensor[] {ProbeForward.seed(f.dtype(), b, c, k)}, k < c - 1);
        for (int l = 0; l < layers.size(); l++) {
          ProbedLayer layer = layers.get(l);
          Tensor rows = layer.tangentRows(g[l], b);
          long perSample = rows.size(0) / b;
          if (rowsPerSample[l] == 0) rowsPerSample[l] = perSample;
          if (gradCentered && colSums[l][k] == null) colSums[l][k] = new double[layer.rows()];
          sums[l].add(rows, gradCentered ? colSums[l][k] : null);
          if (gramSamples > 0) keepGramRows(l, k, rows, b, (int) perSample);
        }
      }
      samples += b;
    }

    private void checkOutputs(int c) {
      if (outputs < 0) {
        outputs = c;
        if (gradCentered) colSums = new double[layers.size()][c][];
        if (gramSamples > 0) gramRows = new double[layers.size()][c][];
      } else if (outputs != c) {
        throw new IllegalStateException("ChainRuleAgop: the model gave " + c + " outputs for this batch but " + outputs + " before");
      }
    }

    /** Where {@link FastChainRule} reports one batch of {@code b} samples. */
    private final class FastSink implements FastChainRule.Sink {
      private final int b;

      FastSink(int b) {
        this.b = b;
      }

      @Override
      public void outputs(int c) {
        checkOutputs(c);
      }

      @Override
      public void layer(int l, int positions, boolean isModelInput) {
        if (rowsPerSample[l] == 0) rowsPerSample[l] = positions;
        inputIsModelInput[l] = isModelInput;
      }

      @Override
      public void addSymmetric(int l, double[] s, long rows) {
        sums[l].addSymmetric(s, rows);
      }

      @Override
      public void addMasked(int l, Object mask, double[] rows, int b, int c, int channels, int positions) {
        if (positions != 1 || (readouts[l] != null && !java.util.Arrays.equals(readouts[l], rows))) {
          FastChainRule.Sink.super.addMasked(l, mask, rows, b, c, channels, positions); // another readout: this batch alone
          return;
        }
        if (readouts[l] == null) {
          readouts[l] = rows.clone();
          maskGrams[l] = new GramAccumulator(channels);
        }
        maskGrams[l].addColumns(mask, b, b);
        maskRows[l] += (long) b * c;
      }

      @Override
      public void addColumns(int l, Object x, int m) {
        sums[l].addColumns(x, m, m);
      }

      @Override
      public double[][] columnSums(int l) {
        if (!gradCentered) return null;
        for (int k = 0; k < outputs; k++) if (colSums[l][k] == null) colSums[l][k] = new double[layers.get(l).rows()];
        return colSums[l];
      }

      @Override
      public int gramSamples() {
        return Math.max(0, Math.min(b, gramSamples - samples));
      }

      @Override
      public void gramRow(int l, int k, int sample, double[] row) {
        if (gramRows[l][k] == null) gramRows[l][k] = new double[gramSamples * row.length];
        System.arraycopy(row, 0, gramRows[l][k], (samples + sample) * row.length, row.length);
      }
    }

    private void keepGramRows(int l, int k, Tensor rows, int b, int perSample) {
      int take = Math.min(b, gramSamples - samples);
      if (take <= 0) return;
      int len = perSample * layers.get(l).rows();
      if (gramRows[l][k] == null) gramRows[l][k] = new double[gramSamples * len];
      double[] src = rows.narrow(0, 0, take * perSample).toDoubleArray();
      System.arraycopy(src, 0, gramRows[l][k], samples * len, take * len);
    }

    /** @return how many batches took the graph-free {@link FastChainRule} sweep (for tests) */
    int fastBatches() {
      return fastBatches;
    }

    /** {@return the per-layer results by layer name, in layer order} */
    public Map<String, LayerAgop> finish() {
      if (finished) throw new IllegalStateException("ChainRuleAgop: accumulation already finished");
      if (samples == 0) throw new IllegalStateException("ChainRuleAgop: no batch was added");
      finished = true;
      for (int l = 0; l < layers.size(); l++) {
        if (maskGrams[l] == null) continue;
        int d = layers.get(l).rows();
        sums[l].addSymmetric(MaskGram.combine(readouts[l], outputs, d, maskGrams[l].sum()), maskRows[l]);
      }
      Map<String, LayerAgop> out = new LinkedHashMap<>();
      for (int l = 0; l < layers.size(); l++) {
        ProbedLayer layer = layers.get(l);
        int d = layer.rows();
        double[] s = sums[l].sum();
        double[] k = divided(s.clone(), samples);
        Tensor kc = null;
        if (gradCentered) {
          // sum over rows of (g - mean)(g - mean)^T = S - N mean mean^T, N = number of rows, per output.
          double rowsTotal = (double) sums[l].rows() / outputs;
          double[] centered = s.clone();
          for (int o = 0; o < outputs; o++) subtractOuter(centered, colSums[l][o], d, rowsTotal);
          kc = Tensor.wrap(divided(centered, samples), d, d);
        }
        Tensor gram = gramSamples > 0 ? gram(l, Math.min(gramSamples, samples)) : null;
        Tensor w;
        try (Grad.Scope off = Grad.disabled()) {
          w = layer.weightMatrix();
        }
        out.put(layer.name(), new LayerAgop(layer, samples, outputs, rowsPerSample[l], w, layer.weightScale(), Tensor.wrap(k, d, d), kc,
            gram, inputIsModelInput[l]));
      }
      return out;
    }

    // finish()'s loops, each in a small method: finish runs once per probe, and C2 would otherwise
    // compile all of it (on-stack, mid-loop) while a run's first probes wait.

    /** a /= n in place. @return a */
    private static double[] divided(double[] a, int n) {
      for (int i = 0; i < a.length; i++) a[i] /= n;
      return a;
    }

    /** a -= m m^T / rows (a is d x d row-major). */
    private static void subtractOuter(double[] a, double[] m, int d, double rows) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) a[i * d + j] -= m[i] * m[j] / rows;
      }
    }

    private Tensor gram(int l, int m) {
      int len = (int) (gramRows[l][0].length / gramSamples);
      double[] gamma = new double[m * m];
      for (int o = 0; o < outputs; o++) {
        Gemm.dgemm(false, true, m, m, len, 1.0, gramRows[l][o], 0, len, gramRows[l][o], 0, len, 1.0, gamma, 0, m);
      }
      return Tensor.wrap(gamma, m, m);
    }
  }
}
