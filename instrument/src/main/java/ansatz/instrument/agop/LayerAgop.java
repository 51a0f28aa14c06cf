package ansatz.instrument.agop;

import ansatz.autograd.Tensor;
import ansatz.instrument.math.Products;

/**
 * What {@link ChainRuleAgop} measured for one layer (DEFINITIONS.md sections 1, 3 and 5), all
 * float64:
 *
 * <ul>
 *   <li>{@link #ptfK()}: K_l = (1/n) sum_i sum_k g_{i,k} g_{i,k}^T, the feature-space matrix of the
 *       pre-activation tangent features g = d f_k / d z_l (rows x rows). For a conv layer the sum
 *       also runs over the output positions (n counts images).
 *   <li>{@link #agop()}: the layer AGOP scale^2 W^T K_l W (cols x cols) with W the weight the
 *       forward used; for a conv layer this is the patch AGOP. Multiplied in the layer's
 *       precision ({@link ProbedLayer#dtype()}), returned in float64.
 *   <li>the gradient-centered versions (when requested): the mean tangent feature over all rows
 *       (samples, and positions for conv) of each output k is subtracted before the outer products,
 *       i.e. K_c = (1/n) (S - sum_k N_rows mean_k mean_k^T). Since the input Jacobian is W^T g,
 *       this is exactly the gradient-centered AGOP.
 *   <li>{@link #ptkGram()}: the sample-space Gram Gamma[i,j] = sum_k g_k(x_i) . g_k(x_j) on the
 *       first m probe samples (conv: g flattened over channels and positions), when requested.
 * </ul>
 */
public final class LayerAgop {
  private final ProbedLayer layer;
  private final int samples;
  private final int outputs;
  private final long rowsPerSample;
  private final Tensor weight;
  private final double scale;
  private final Tensor ptfK;
  private final Tensor ptfKCentered;
  private final Tensor ptkGram;
  private final boolean inputIsModelInput;
  private Tensor agop;
  private Tensor agopCentered;

  LayerAgop(ProbedLayer layer, int samples, int outputs, long rowsPerSample, Tensor weight, double scale, Tensor ptfK,
            Tensor ptfKCentered, Tensor ptkGram, boolean inputIsModelInput) {
    this.inputIsModelInput = inputIsModelInput;
    this.layer = layer;
    this.samples = samples;
    this.outputs = outputs;
    this.rowsPerSample = rowsPerSample;
    this.weight = weight;
    this.scale = scale;
    this.ptfK = ptfK;
    this.ptfKCentered = ptfKCentered;
    this.ptkGram = ptkGram;
  }

  /** {@return the layer measured} */
  public ProbedLayer layer() {
    return layer;
  }

  /**
   * {@return whether this layer received the model's input itself (so its AGOP is the model's AGOP
   *     w.r.t. its input, the one compared with a true AGOP)}
   */
  public boolean inputIsModelInput() {
    return inputIsModelInput;
  }

  /** {@return the number of samples n the averages are over} */
  public int samples() {
    return samples;
  }

  /** {@return the number of network outputs c summed over} */
  public int outputs() {
    return outputs;
  }

  /** {@return tangent-feature rows per sample (1 for a dense layer on flat inputs; output positions for conv)} */
  public long rowsPerSample() {
    return rowsPerSample;
  }

  /** {@return the weight matrix (rows, cols) the forward used, float64} */
  public Tensor weight() {
    return weight;
  }

  /** {@return the forward's weight scale (1/sqrt(fan_in) under NTK, else 1)} */
  public double weightScale() {
    return scale;
  }

  /** {@return K_l (rows x rows), uncentered} */
  public Tensor ptfK() {
    return ptfK;
  }

  /** {@return K_l after gradient centering, or null if it was not requested} */
  public Tensor ptfKCentered() {
    return ptfKCentered;
  }

  /** {@return K_l, gradient-centered or not} */
  public Tensor ptfK(boolean gradCentered) {
    if (gradCentered && ptfKCentered == null) throw new IllegalStateException(layer + ": the gradient-centered K was not computed");
    return gradCentered ? ptfKCentered : ptfK;
  }

  /** {@return the layer AGOP scale^2 W^T K W (the patch AGOP for conv), uncentered} */
  public synchronized Tensor agop() {
    if (agop == null) agop = Products.congruence(weight, ptfK, scale * scale, layer.dtype());
    return agop;
  }

  /** {@return the gradient-centered layer AGOP, or null if it was not requested} */
  public synchronized Tensor agopCentered() {
    if (ptfKCentered == null) return null;
    if (agopCentered == null) agopCentered = Products.congruence(weight, ptfKCentered, scale * scale, layer.dtype());
    return agopCentered;
  }

  /** {@return the AGOP, gradient-centered or not} */
  public Tensor agop(boolean gradCentered) {
    if (gradCentered && ptfKCentered == null) throw new IllegalStateException(layer + ": the gradient-centered AGOP was not computed");
    return gradCentered ? agopCentered() : agop();
  }

  /** {@return the sample-space Gram (m x m), or null if it was not requested} */
  public Tensor ptkGram() {
    return ptkGram;
  }
}
