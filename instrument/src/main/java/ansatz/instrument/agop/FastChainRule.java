package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.IndexedCombine;
import ansatz.autograd.ops.Window2d;
import ansatz.instrument.agop.Tangents.Explicit;
import ansatz.instrument.agop.Tangents.Masked;
import ansatz.instrument.agop.Tangents.Shared;
import ansatz.instrument.math.Products;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Identity;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import java.util.List;

/**
 * The chain-rule form of {@link ChainRuleAgop} without the autograd graph, for a
 * {@link Sequential} of Linear, Conv2d, ReLU, Flatten and Identity layers (the MLPs and CNNs the
 * experiments use). It computes the same sums K_l = sum_{i,k} g_{i,k} g_{i,k}^T, but sweeps the
 * tangent features g = d f_k / d z backward by hand, for all outputs k at once, in the cheapest
 * exact form ({@link Tangents}):
 *
 * <ul>
 *   <li>at the output, g_{i,k} = e_k for every sample; through Linear/Conv2d layers that stays
 *       shared by all samples, so the last layer's K is c x I and costs nothing;
 *   <li>through the last ReLU, g_{i,k} = m_i ∘ r_k (mask times a row of the readout), whose Gram
 *       factors through the mask Gram: K = (R^T R) ∘ (M^T M), c times cheaper than the rows;
 *   <li>only further back are the rows written out, a chunk of samples at a time (memory
 *       O(chunk)), each layer one GEMM with the weight (plus col2im for conv) and each Gram one
 *       symmetric GEMM over the chunk.
 * </ul>
 *
 * ReLU's derivative is taken as autograd does (1 where the input is &gt; 0, else 0). The layers
 * run their own forward (with their forward hooks) without recording a graph; module backward
 * hooks are not applied, and a forward hook that replaces a ReLU's input is not seen by the mask.
 */
final class FastChainRule {
  // Elements of one explicit tangent block (a chunk of samples x outputs x features): bounds the
  // memory of the sweep (a few such blocks live at once) while keeping the GEMMs large.
  static final int CHUNK_ELEMENTS = 1 << 22;

  /** What a sweep reports, per probed layer (indices into the probe's layer list). */
  interface Sink {
    /** The batch has c outputs; called before anything else. */
    void outputs(int c);

    /** Layer l has {@code positions} tangent rows per sample and output; its input is (or not) the model input. */
    void layer(int l, int positions, boolean inputIsModelInput);

    /** Adds a full symmetric d x d contribution to layer l's sum of g g^T that covers {@code rows} rows. */
    void addSymmetric(int l, double[] s, long rows);

    /**
     * Adds the Gram of masked shared tangents m_i ∘ r_k ({@link MaskGram}): b samples, c readout
     * rows, the given channels and positions. By default at once; a sink may instead keep the mask
     * Grams of many batches and combine them with the readout once.
     */
    default void addMasked(int l, Object mask, double[] rows, int b, int c, int channels, int positions) {
      addSymmetric(l, MaskGram.sum(mask, rows, b, c, channels, positions), (long) b * c * positions);
    }

    /** Adds X X^T for the (d, m) block x (the rows of a chunk, as columns). */
    void addColumns(int l, Object x, int m);

    /** @return layer l's per-output column sums [c][d] to add to, or null when not centering */
    double[][] columnSums(int l);

    /** @return how many of this batch's first samples need their rows kept for the sample Gram (0: none) */
    int gramSamples();

    /** Keeps the flattened tangent (position-major, as {@link ProbedLayer#tangentRows}) of output k at {@code sample} of this batch for layer l. */
    void gramRow(int l, int k, int sample, double[] row);
  }

  private final Module[] stages;
  private final int[] probeOf; // index into the probe's layer list, or -1
  private final int first; // earliest probed stage: the sweep stops there
  private int chunkElements = CHUNK_ELEMENTS;
  private boolean sparseRows = true;
  // Per stage, the packed weight of sparseLinear, kept across batches while the caller promises
  // that the weights do not change between them (ChainRuleAgop.compute: all batches at once).
  private IndexedCombine.PackedRows[] packs;

  private FastChainRule(Module[] stages, int[] probeOf, int first) {
    this.stages = stages;
    this.probeOf = probeOf;
    this.first = first;
  }

  /** For tests: off takes the GEMM path for masked rows into float32 Linear layers too. @return this */
  FastChainRule sparseRows(boolean on) {
    this.sparseRows = on;
    return this;
  }

  /**
   * Whether the weights stay as they are until this sweep is discarded (true for all batches of
   * one {@link ChainRuleAgop#compute}): then each layer's packed weight is made once, not per
   * batch. @return this
   */
  FastChainRule weightsFixed(boolean on) {
    packs = on ? new IndexedCombine.PackedRows[stages.length] : null;
    return this;
  }

  /** For tests: a smaller explicit block, so that small batches also split into several chunks. @return this */
  FastChainRule chunkElements(int n) {
    this.chunkElements = Math.max(1, n);
    return this;
  }

  /** @return the fast path for {@code layers} of {@code model}, or null if the model is not a plain supported chain */
  static FastChainRule plan(Module model, List<ProbedLayer> layers) {
    if (!(model instanceof Sequential seq) || seq.size() == 0) return null;
    Module[] stages = seq.children().toArray(new Module[0]);
    for (Module m : stages) {
      if (!(m instanceof Linear || m instanceof Conv2d || m instanceof ReLU || m instanceof Flatten || m instanceof Identity)) return null;
    }
    int[] probeOf = new int[stages.length];
    java.util.Arrays.fill(probeOf, -1);
    int first = stages.length;
    for (int l = 0; l < layers.size(); l++) {
      int j = indexOf(stages, layers.get(l).module());
      if (j < 0 || probeOf[j] >= 0) return null;
      probeOf[j] = l;
      first = Math.min(first, j);
    }
    return new FastChainRule(stages, probeOf, first);
  }

  private static int indexOf(Module[] stages, Module m) {
    for (int j = 0; j < stages.length; j++) if (stages[j] == m) return j;
    return -1;
  }

  /** Per-sample feature shape: C channels at h x w positions (dense: h = w = 1). */
  private record Feature(int channels, int h, int w) {
    static Feature of(int[] shape) {
      int c = shape.length >= 2 ? shape[1] : 1, p = 1;
      for (int a = 2; a < shape.length; a++) p *= shape[a];
      return shape.length == 4 ? new Feature(c, shape[2], shape[3]) : new Feature(c, p, 1);
    }

    int positions() {
      return h * w;
    }

    int size() {
      return channels * h * w;
    }
  }

  /** One batch's forward results and the state its sweep shares. */
  private final class Run {
    final DType dtype;
    final int b;
    final Sink sink;
    final Feature[] in; // per stage, its input's feature shape
    Feature out; // the model output's
    final Object[] masks; // per ReLU stage, its mask (C, b, P)
    final boolean[] isModelInput;
    int c;
    int chunk;
    // Per stage, the buffers its explicit chunks reuse: [3j] materialized or regrouped rows,
    // [3j+1] the Linear/Conv2d output, [3j+2] a Conv2d's window columns. A chunk passes every
    // stage before the next chunk starts, so a stage's buffer is free again when it is reused.
    final Object[] buffers;

    Run(DType dtype, int b, Sink sink) {
      this.dtype = dtype;
      this.b = b;
      this.sink = sink;
      this.in = new Feature[stages.length];
      this.masks = new Object[stages.length];
      this.isModelInput = new boolean[stages.length];
      this.buffers = new Object[3 * stages.length];
    }

    /** @return the buffer of {@code slot} with room for n elements ({@link TangentLoops#reuse}), kept for the next chunk */
    Object buffer(int slot, long n, boolean zero) {
      buffers[slot] = TangentLoops.reuse(buffers[slot], dtype, n, zero);
      return buffers[slot];
    }

    Feature outOf(int j) {
      return j + 1 < stages.length ? in[j + 1] : out;
    }
  }

  /**
   * Adds one batch's contributions to {@code sink}.
   *
   * @return false, having reported nothing, if the batch's shapes are outside the fast path
   *     (a Linear on inputs with extra axes, a non-float dtype, ...); the caller then takes the
   *     autograd path
   */
  boolean run(Tensor batch, DType dtype, Sink sink) {
    int b = batch.size(0);
    Run run = new Run(dtype, b, sink);
    if (!forward(batch, run)) return false;
    run.c = run.out.size();
    long widest = 1;
    for (int j = first; j < stages.length; j++) {
      widest = Math.max(widest, Math.max(run.in[j].size(), run.outOf(j).size()));
      if (stages[j] instanceof Conv2d conv) {
        widest = Math.max(widest, (long) run.in[j].channels() * conv.kernelHeight() * conv.kernelWidth() * run.outOf(j).positions());
      }
    }
    run.chunk = (int) Math.max(1, Math.min(b, chunkElements / (widest * run.c)));
    sink.outputs(run.c);
    for (int j = first; j < stages.length; j++) {
      if (probeOf[j] >= 0) sink.layer(probeOf[j], run.outOf(j).positions(), run.isModelInput[j]);
    }
    double[] identity = new double[run.c * run.c];
    for (int k = 0; k < run.c; k++) identity[k * run.c + k] = 1;
    sweep(run, stages.length - 1, new Shared(identity));
    return true;
  }

  /** The forward pass without a graph: each stage's input shape and each ReLU's mask. */
  private boolean forward(Tensor batch, Run run) {
    if (dtypeUnsupported(run.dtype)) return false;
    try (Grad.Scope off = Grad.disabled()) {
      Tensor x = batch.detach().to(run.dtype);
      Tensor h = x;
      for (int j = 0; j < stages.length; j++) {
        Module m = stages[j];
        int[] s = h.shape();
        if (s.length == 0 || s[0] != run.b) return false;
        if (m instanceof Linear && s.length != 2) return false; // extra axes: positions the sweep does not model
        if ((m instanceof Linear lin && lin.weight().dtype() != run.dtype) || (m instanceof Conv2d conv && conv.weight().dtype() != run.dtype)) return false;
        run.in[j] = Feature.of(s);
        run.isModelInput[j] = h == x;
        if (m instanceof ReLU && j > first) {
          Tensor z = h.copyIfNotDense();
          run.masks[j] = TangentLoops.reluMask(run.dtype == DType.FLOAT64 ? z.doubles() : z.floats(), run.b, run.in[j].channels(),
              run.in[j].positions());
        }
        h = m.call(h);
      }
      if (h.dim() == 0 || h.size(0) != run.b) {
        throw new IllegalStateException("ChainRuleAgop: the model output has shape " + java.util.Arrays.toString(h.shape())
            + ", expected a first axis of " + run.b + " samples");
      }
      run.out = Feature.of(h.shape());
    }
    return true;
  }

  private static boolean dtypeUnsupported(DType d) {
    return d != DType.FLOAT32 && d != DType.FLOAT64;
  }

  /** Reports stage j's Gram (if probed), then moves the tangents one stage back, down to the first probed stage. */
  private void sweep(Run run, int j, Tangents t) {
    for (; ; j--) {
      Feature out = run.outOf(j);
      if (probeOf[j] >= 0) gram(run, probeOf[j], t, out);
      if (j == first) return;
      Module m = stages[j];
      if (t instanceof Masked mk && (m instanceof Linear || m instanceof Conv2d)) {
        if (sparseRows && m instanceof Linear lin && run.dtype == DType.FLOAT32 && out.positions() == 1) {
          sparseLinear(run, j, lin, mk, out.channels(), run.in[j].size());
          return;
        }
        // From here on every row differs: write them out, one chunk of samples at a time.
        for (int i0 = 0; i0 < run.b; i0 += run.chunk) {
          int count = Math.min(run.chunk, run.b - i0);
          Object block = TangentLoops.materialize(run.dtype, mk.mask(), run.b, i0, count, mk.rows(), run.c, out.channels(), out.positions(),
              run.buffers[3 * j]);
          run.buffers[3 * j] = block;
          sweep(run, j - 1, backward(run, j, new Explicit(block, i0, count)));
        }
        return;
      }
      t = backward(run, j, t);
    }
  }

  /** @return the tangents at the input of stage j, given those at its output */
  private Tangents backward(Run run, int j, Tangents t) {
    Module m = stages[j];
    Feature out = run.outOf(j), in = run.in[j];
    if (m instanceof ReLU) {
      Object mask = run.masks[j];
      return switch (t) {
        case Shared s -> new Masked(mask, s.rows());
        case Masked mk -> new Masked(TangentLoops.multiply(mk.mask(), mask), mk.rows());
        case Explicit e -> {
          TangentLoops.multiplyByMask(e.block(), out.channels(), e.count(), run.c, out.positions(), mask, run.b, e.first());
          yield e;
        }
      };
    }
    if (m instanceof Linear lin) return linear(run, j, lin, t, out.size(), in.size());
    if (m instanceof Conv2d conv) return conv(run, j, conv, t, out, in);
    // Flatten, Identity: the same numbers, maybe grouped into other channels.
    if (out.channels() == in.channels()) return t;
    return switch (t) {
      case Shared s -> s; // rows are stored flat, channel-major: a Flatten does not move them
      case Masked mk -> new Masked(TangentLoops.regroup(mk.mask(), run.b, out.channels(), out.positions(), in.channels(), in.positions(), null),
          mk.rows());
      case Explicit e -> {
        run.buffers[3 * j] = TangentLoops.regroup(e.block(), e.count() * run.c, out.channels(), out.positions(), in.channels(), in.positions(),
            run.buffers[3 * j]);
        yield new Explicit(run.buffers[3 * j], e.first(), e.count());
      }
    };
  }

  /**
   * Masked tangents through a dense float32 Linear: the explicit rows W^T (m_i ∘ r_k) straight from
   * each sample's list of active units ({@link IndexedCombine}), without writing out the masked
   * rows or multiplying their zeros (about half of a trained ReLU layer's units are inactive), one
   * chunk of samples at a time as the GEMM path does.
   */
  private void sparseLinear(Run run, int j, Linear lin, Masked mk, int units, int inF) {
    int b = run.b, c = run.c;
    // (units, b), channel-major; entries are ReLU derivatives, 0 or 1, so a unit is in a sample's list
    // exactly when its mask entry is 1 and the coefficients need no mask factor.
    float[] mask = (float[]) mk.mask();
    int[] starts = activeStarts(mask, units, b);
    int[] idx = activeUnits(mask, units, b, starts);
    float[] coef = coefficients(mk.rows(), units, c);
    IndexedCombine.PackedRows w = packs != null && packs[j] != null ? packs[j]
        : IndexedCombine.pack((float[]) weights(lin.weight().tensor(), run.dtype), 0, inF, units, inF);
    if (packs != null) packs[j] = w;
    float alpha = (float) ProbedLayer.of("", lin).weightScale();
    for (int i0 = 0; i0 < b; i0 += run.chunk) {
      int count = Math.min(run.chunk, b - i0), rows = count * c;
      float[] x = (float[]) run.buffer(3 * j + 1, (long) inF * rows, false);
      IndexedCombine.rows(count, c, starts, i0, idx, coef, w, alpha, x, rows);
      sweep(run, j - 1, new Explicit(x, i0, count));
    }
  }

  // sparseLinear's loops, each in a small method of its own: the JIT compiles small methods
  // quickly, and the first probes of a run otherwise wait for it (see TridiagonalEigen.merge).

  /** @return per sample i, where its list of active units starts in the index array ([b + 1], prefix sums) */
  private static int[] activeStarts(float[] mask, int units, int b) {
    int[] starts = new int[b + 1];
    // Counted without a branch: about half the entries are 1, in no pattern a predictor could learn.
    for (int a = 0; a < units; a++) for (int i = 0; i < b; i++) starts[i + 1] += mask[a * b + i] != 0f ? 1 : 0;
    for (int i = 0; i < b; i++) starts[i + 1] += starts[i];
    return starts;
  }

  /** @return every sample's active units, ascending, one list after the other (as {@code starts} lays them out) */
  private static int[] activeUnits(float[] mask, int units, int b, int[] starts) {
    int[] idx = new int[starts[b]], next = java.util.Arrays.copyOf(starts, b);
    for (int a = 0; a < units; a++) for (int i = 0; i < b; i++) if (mask[a * b + i] != 0f) idx[next[i]++] = a;
    return idx;
  }

  /** @return the readout rows r (c x units) transposed to units x c, in float32 */
  private static float[] coefficients(double[] r, int units, int c) {
    float[] coef = new float[units * c];
    for (int a = 0; a < units; a++) for (int k = 0; k < c; k++) coef[a * c + k] = (float) r[k * units + a];
    return coef;
  }

  private Tangents linear(Run run, int j, Linear lin, Tangents t, int outF, int inF) {
    double scale = ProbedLayer.of("", lin).weightScale();
    return switch (t) {
      case Shared s -> {
        double[] w = Products.values64(lin.weight().tensor());
        double[] r = new double[run.c * inF];
        TangentLoops.gemm(false, false, run.c, inF, outF, scale, s.rows(), 0, outF, w, 0, inF, 0, r, 0, inF);
        yield new Shared(r);
      }
      case Explicit e -> {
        int rows = e.count() * run.c;
        Object x = run.buffer(3 * j + 1, (long) inF * rows, false);
        TangentLoops.gemm(true, false, inF, rows, outF, scale, weights(lin.weight().tensor(), run.dtype), 0, inF, e.block(), 0, rows, 0, x, 0, rows);
        yield new Explicit(x, e.first(), e.count());
      }
      case Masked mk -> throw new IllegalStateException("masked tangents reach a Linear layer only through explicit rows");
    };
  }

  private Tangents conv(Run run, int j, Conv2d conv, Tangents t, Feature out, Feature in) {
    Window2d g = Window2d.of("conv2d", conv.kernelHeight(), conv.kernelWidth(), conv.stride(), conv.stride(), conv.padding(), conv.padding(),
        conv.dilation(), conv.dilation());
    int taps = in.channels() * conv.kernelHeight() * conv.kernelWidth(), l = out.positions(), cout = out.channels();
    if (g.outH(in.h()) * g.outW(in.w()) != l) throw new IllegalStateException(conv + ": output positions do not match its geometry");
    double scale = conv.forwardScale();
    return switch (t) {
      case Shared s -> {
        double[] w = conv.weight().tensor().toDoubleArray();
        double[] r = new double[run.c * in.size()];
        double[] cols = new double[taps * l];
        for (int k = 0; k < run.c; k++) {
          TangentLoops.gemm(true, false, taps, l, cout, scale, w, 0, taps, s.rows(), k * cout * l, l, 0, cols, 0, l);
          System.arraycopy((double[]) TangentLoops.fold(cols, 1, in.channels(), in.h(), in.w(), g, null), 0, r, k * in.size(), in.size());
        }
        yield new Shared(r);
      }
      case Explicit e -> {
        int rows = e.count() * run.c;
        Object cols = run.buffer(3 * j + 2, (long) taps * rows * l, false);
        TangentLoops.gemm(true, false, taps, rows * l, cout, scale, weights(conv.weight().tensor(), run.dtype), 0, taps, e.block(), 0, rows * l, 0,
            cols, 0, rows * l);
        Object folded = TangentLoops.fold(cols, rows, in.channels(), in.h(), in.w(), g, run.buffers[3 * j + 1]);
        run.buffers[3 * j + 1] = folded;
        yield new Explicit(folded, e.first(), e.count());
      }
      case Masked mk -> throw new IllegalStateException("masked tangents reach a Conv2d layer only through explicit rows");
    };
  }

  private static Object weights(Tensor w, DType dtype) {
    Tensor d = w.detach().copyIfNotDense();
    return dtype == DType.FLOAT64 ? d.doubles() : d.floats();
  }

  /** Reports sum_{i,k,positions} g g^T of tangents t (feature shape f) to layer l, with the column sums and Gram rows. */
  private void gram(Run run, int l, Tangents t, Feature f) {
    int ch = f.channels(), p = f.positions(), cp = ch * p, c = run.c, b = run.b;
    double[][] colSums = run.sink.columnSums(l);
    int keep = run.sink.gramSamples();
    switch (t) {
      case Shared s -> {
        double[] r = s.rows();
        double[] sum = new double[ch * ch];
        for (int k = 0; k < c; k++) TangentLoops.gemm(false, true, ch, ch, p, b, r, k * cp, p, r, k * cp, p, 1, sum, 0, ch);
        run.sink.addSymmetric(l, sum, (long) b * c * p);
        if (colSums != null) {
          for (int k = 0; k < c; k++) for (int a = 0; a < ch; a++) for (int q = 0; q < p; q++) colSums[k][a] += b * r[k * cp + a * p + q];
        }
        for (int k = 0; k < c && keep > 0; k++) {
          double[] row = new double[cp];
          for (int a = 0; a < ch; a++) for (int q = 0; q < p; q++) row[q * ch + a] = r[k * cp + a * p + q];
          for (int i = 0; i < keep; i++) run.sink.gramRow(l, k, i, row);
        }
      }
      case Masked mk -> {
        run.sink.addMasked(l, mk.mask(), mk.rows(), b, c, ch, p);
        Object mask = mk.mask();
        double[] r = mk.rows();
        if (colSums != null) {
          for (int a = 0; a < ch; a++) {
            for (int q = 0; q < p; q++) {
              double count = 0;
              for (int i = 0; i < b; i++) count += TangentLoops.get(mask, a * b * p + i * p + q);
              for (int k = 0; k < c; k++) colSums[k][a] += count * r[k * cp + a * p + q];
            }
          }
        }
        for (int i = 0; i < keep; i++) {
          for (int k = 0; k < c; k++) {
            double[] row = new double[cp];
            for (int a = 0; a < ch; a++) for (int q = 0; q < p; q++) row[q * ch + a] = TangentLoops.get(mask, a * b * p + i * p + q) * r[k * cp + a * p + q];
            run.sink.gramRow(l, k, i, row);
          }
        }
      }
      case Explicit e -> {
        int rows = e.count() * c;
        run.sink.addColumns(l, e.block(), rows * p);
        if (colSums != null) TangentLoops.addColumnSums(e.block(), ch, e.count(), c, p, colSums);
        for (int i = 0; i < e.count() && e.first() + i < keep; i++) {
          for (int k = 0; k < c; k++) run.sink.gramRow(l, k, e.first() + i, TangentLoops.row(e.block(), ch, rows, p, i * c + k));
        }
      }
    }
  }
}
