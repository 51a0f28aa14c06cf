package ansatz.nn.rfm;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.metrics.NeuralCollapse;
import java.util.ArrayList;
import java.util.List;

/**
 * Deep RFM (Beaglehole et al., neural collapse in deep RFM), as DEFINITIONS.md section 8. Each layer:
 *
 * <ol>
 *   <li>scale every row of X to unit norm (a zero row stays zero);
 *   <li>one RFM step: kernel ridge on the one-hot labels with M = I (Laplace, L = 2 by default),
 *       then M = AGOP / its largest entry;
 *   <li>project: X &lt;- X M^{1/2} (PSD square root, negative eigenvalues clamped to 0);
 *   <li>apply an untrained random map ({@link RandomMapType}): X &lt;- phi(X).
 * </ol>
 *
 * NC1/NC2 ({@link NeuralCollapse}) of the normalized X, of X M^{1/2} and of phi(X M^{1/2}) are
 * recorded at every layer.
 */
public final class DeepRfm {
  private DeepRfm() {}

  /**
   * @param x training inputs (n x d), float32 or float64
   * @param labels class of each row, in [0, numClasses)
   * @param numClasses K &gt;= 2
   * @param options settings ({@link DeepRfmOptions#defaults()})
   * @throws IllegalArgumentException for empty or non-finite data, a label count that does not
   *     match the rows, labels out of range or an empty class
   */
  public static DeepRfmResult fit(Tensor x, int[] labels, int numClasses, DeepRfmOptions options) {
    String op = "DeepRfm.fit";
    if (options == null) throw new IllegalArgumentException(op + ": options is null");
    Rows features = Checks.features(op, "x", x);
    if (labels == null || labels.length != features.n) {
      throw new IllegalArgumentException(op + ": " + (labels == null ? "no" : labels.length) + " labels for " + features.n + " rows of x");
    }
    if (numClasses < 2) throw new IllegalArgumentException(op + ": needs at least 2 classes, got " + numClasses);
    Tensor oneHot = Tensor.oneHot(labels, numClasses, ansatz.autograd.DType.FLOAT64); // checks the label range
    Rows y = Rows.wrap(oneHot.toDoubleArray(), features.n, numClasses);
    NeuralCollapse.of(features.tensor(), labels, numClasses); // fails early on an empty class
    Kernel kernel = new Kernel(options.kernel(), options.bandwidth());
    Rng rng = new Rng(options.seed());
    List<DeepRfmLayer> records = new ArrayList<>();
    List<Model.Layer> fitted = new ArrayList<>();
    for (int l = 0; l < options.layers(); l++) {
      long start = System.nanoTime();
      Rows normalized = normalizeRows(features);
      KernelPredictor f = KernelRidge.fit(normalized, y, kernel, Metric.identity(normalized.cols), options.ridge());
      Rows points = Rfm.subsample(normalized, options.agopSamples(), rng);
      double[] agop = KernelGradients.agop(f, points, options.centerGradients(), false);
      Rfm.divideByMaxEntry(agop);
      double[] sqrtM = PsdPower.power(agop, normalized.cols, 0.5);
      Rows projected = normalized.timesSymmetric(sqrtM);
      RandomMap map = RandomMap.draw(options.map(), rng, projected.cols, options.width(), options.fourierBandwidth());
      Rows mapped = map.apply(projected);
      records.add(new DeepRfmLayer(l,
          NeuralCollapse.of(normalized.tensor(), labels, numClasses),
          NeuralCollapse.of(projected.tensor(), labels, numClasses),
          NeuralCollapse.of(mapped.tensor(), labels, numClasses),
          (System.nanoTime() - start) * 1e-9));
      fitted.add(new Model.Layer(sqrtM, map));
      features = mapped;
    }
    return new DeepRfmResult(List.copyOf(records), features.tensor(), new Model(features.dtype(), x.size(1), List.copyOf(fitted)));
  }

  /** {@return the rows scaled to unit Euclidean norm (zero rows stay zero), in the same type} */
  static Rows normalizeRows(Rows x) {
    Rows out = Rows.zeros(x.dtype(), x.n, x.cols);
    double[] norms = x.rowDots(x);
    for (int i = 0; i < x.n; i++) {
      double s = norms[i] > 0 ? 1 / Math.sqrt(norms[i]) : 0;
      for (int j = 0; j < x.cols; j++) out.set(i, j, x.get(i, j) * s);
    }
    return out;
  }

  /** The fitted layers: each one's M^{1/2} and random map, to transform new data the same way. */
  public static final class Model {
    record Layer(double[] sqrtM, RandomMap map) {}

    private final ansatz.autograd.DType dtype;
    private final int inputs;
    private final List<Layer> layers;

    Model(ansatz.autograd.DType dtype, int inputs, List<Layer> layers) {
      this.dtype = dtype;
      this.inputs = inputs;
      this.layers = layers;
    }

    /** {@return the number of layers} */
    public int depth() {
      return layers.size();
    }

    /** {@return layer l's M^{1/2} (float64 d_l x d_l)} */
    public Tensor sqrtMetric(int l) {
      double[] s = layers.get(l).sqrtM();
      int d = (int) Math.round(Math.sqrt(s.length));
      return Tensor.of(s, d, d);
    }

    /** {@return the features of new points after all layers, in the training data's type} */
    public Tensor transform(Tensor x) {
      Rows r = Checks.features("DeepRfm.transform", "x", x).to(dtype);
      if (r.cols != inputs) throw new IllegalArgumentException("DeepRfm.transform: x has " + r.cols + " features, the model was fitted on " + inputs);
      for (Layer layer : layers) {
        Rows n = normalizeRows(r);
        r = layer.map().apply(n.timesSymmetric(layer.sqrtM()));
      }
      return r.tensor();
    }
  }
}
