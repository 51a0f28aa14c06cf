package ansatz.instrument.agop;

import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer whose AGOP, tangent features and weight Gram a probe measures, seen through the one view
 * every probe needs: a weight matrix W (rows = output units or conv filters, columns = input
 * features or patch entries), the scale the forward applies to it, and how the gradient with
 * respect to its pre-activation splits into per-position rows of length {@code rows()}.
 *
 * <p>The forward of the layer is z = scale * W h (+ b) for each position h (the whole input of a
 * dense layer; each kh x kw x c_in patch of a conv layer), so d z / d h = scale * W and the layer's
 * AGOP is scale^2 W^T K W (DEFINITIONS.md sections 1 and 5).
 */
public abstract class ProbedLayer {
  /** What kind of layer: dense (Linear) or convolutional (Conv2d). */
  public enum Kind {
    /** a {@link Linear} layer */
    DENSE("dense"),
    /** a 2-D convolution (patch AGOP, DEFINITIONS.md section 5) */
    CONV("conv");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** {@return "dense" or "conv", as written in outputs} */
    public String label() {
      return label;
    }
  }

  private final String name;
  private final Module module;

  ProbedLayer(String name, Module module) {
    this.name = name;
    this.module = module;
  }

  /** {@return the module's dotted name in the model ({@code ""} for the model itself)} */
  public final String name() {
    return name;
  }

  /** {@return the module} */
  public final Module module() {
    return module;
  }

  /** {@return DENSE or CONV} */
  public abstract Kind kind();

  /**
   * {@return the weight's dtype: the precision the probes multiply this layer's matrices in (the
   *     AGOP congruence, the NFMs), since K and W carry that rounding anyway}
   */
  public abstract ansatz.autograd.DType dtype();

  /** {@return a float64 copy of the current weight as a (rows, cols) matrix (conv: (c_out, c_in*kh*kw))} */
  public abstract Tensor weightMatrix();

  /** {@return the factor the forward applies to W (1/sqrt(fan_in) under NTK parameterization, else 1)} */
  public abstract double weightScale();

  /** {@return output units (dense) or filters (conv)} */
  public abstract int rows();

  /** {@return input features (dense) or patch size c_in*kh*kw (conv)} */
  public abstract int cols();

  /**
   * @param gradZ d f_k / d z for a batch of {@code batch} samples, shaped as the layer's output
   * @return the same numbers as a dense (batch * positions, rows) matrix, one row per (sample,
   *     position), sample-major (a dense layer on (B, d) inputs has one position per sample)
   */
  abstract Tensor tangentRows(Tensor gradZ, int batch);

  /**
   * The variable of the direct (per-sample-Jacobian) check, seen in a forward hook: the layer input
   * h_l for a dense layer; for a conv layer the im2col columns of its input, from which the hook
   * recomputes the output so that the columns are on the gradient path.
   *
   * @param variable the tensor to differentiate with respect to
   * @param replacementOutput the output the hook must return, or null to keep the layer's own
   */
  record DirectVariable(Tensor variable, Tensor replacementOutput) {}

  /** {@return the direct-check variable for one call with input {@code in} and output {@code out}} */
  abstract DirectVariable directVariable(Tensor in, Tensor out);

  /**
   * @param grad the gradient with respect to {@link DirectVariable#variable()} for one sample
   * @return the per-position Jacobian rows, flattened position-major (positions x cols)
   */
  abstract double[] directRows(Tensor grad);

  /** {@return whether {@code m} is a layer type the probes understand} */
  public static boolean isProbeable(Module m) {
    return m instanceof Linear || m instanceof Conv2d;
  }

  /**
   * {@return the probe view of module {@code m} named {@code name}}
   *
   * @throws IllegalArgumentException if {@code m} is neither Linear nor Conv2d
   */
  public static ProbedLayer of(String name, Module m) {
    if (m instanceof Linear lin) return new DenseLayer(name, lin);
    if (m instanceof Conv2d conv) return new ConvLayer(name, conv);
    throw new IllegalArgumentException("probe: module '" + name + "' is a " + m.getClass().getSimpleName()
        + ", not a Linear or Conv2d layer; only those have a weight matrix to probe");
  }

  /** {@return every probe-able layer of {@code model} (Linear and Conv2d) by dotted name, in module order} */
  public static List<ProbedLayer> all(Module model) {
    List<ProbedLayer> out = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      if (isProbeable(e.getValue())) out.add(of(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * @param names dotted module names; null or empty means every Linear/Conv2d layer
   * @return the probe views of the named layers, in the order given
   * @throws IllegalArgumentException naming the available layers if a name does not exist or is not
   *     a Linear/Conv2d layer, or if a name repeats
   */
  public static List<ProbedLayer> select(Module model, List<String> names) {
    if (model == null) throw new IllegalArgumentException("probe: model is null");
    List<ProbedLayer> all = all(model);
    if (names == null || names.isEmpty()) {
      if (all.isEmpty()) throw new IllegalArgumentException("probe: the model has no Linear or Conv2d layer to probe");
      return all;
    }
    Map<String, Module> modules = model.namedModules();
    List<String> available = new ArrayList<>();
    for (ProbedLayer l : all) available.add("'" + l.name() + "' (" + l.module().getClass().getSimpleName() + ")");
    Map<String, ProbedLayer> chosen = new LinkedHashMap<>();
    for (String n : names) {
      Module m = modules.get(n);
      if (m == null) {
        throw new IllegalArgumentException("probe: the model has no layer named '" + n + "'; probe-able layers are " + available);
      }
      if (!isProbeable(m)) {
        throw new IllegalArgumentException("probe: layer '" + n + "' is a " + m.getClass().getSimpleName()
            + ", which has no weight matrix to probe; probe-able layers are " + available);
      }
      if (chosen.put(n, of(n, m)) != null) throw new IllegalArgumentException("probe: layer '" + n + "' is listed twice");
    }
    return new ArrayList<>(chosen.values());
  }

  @Override
  public String toString() {
    return kind().label() + " layer '" + name + "' (" + rows() + " x " + cols() + ")";
  }
}
