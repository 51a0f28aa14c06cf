package ansatz.nn.optim;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alignment-boosting update rule of DEFINITIONS section 4: every layer moves at a fixed speed,
 * and a chosen target layer moves {@code C^2} times faster than the others.
 *
 * <pre>
 * for every layer l:   G_l = grad_l / (eps + ||grad_l||_F)
 *                      G_l = C * G_l   if l is the target,   G_l / C   otherwise
 *                      W_l = W_l - lr * G_l
 * </pre>
 *
 * <p><b>Layers.</b> A layer is a module that owns a parameter named {@code weight} (a
 * {@code Linear}, later a {@code Conv2d}); layers are numbered 0, 1, ... in
 * {@link Module#namedModules()} order, so layer 0 is the first layer. A layer's other own parameters
 * (its bias) belong to it: ||grad_l||_F is the Frobenius norm of all of the layer's parameter
 * gradients together, sqrt(||grad W||_F^2 + ||grad b||^2), and all of them are divided by it. (This
 * keeps the update direction of each layer equal to its gradient direction; for the papers' bias-free
 * MLPs it is simply ||grad W||_F.) A module owning parameters but no {@code weight} is rejected.
 *
 * <p><b>Defaults.</b> C = 5 and eps = 0.1; when the target is layer 0, C = 200 and eps = 0. Values set
 * with {@link #boost(double)} / {@link #eps(double)} are kept; values not set follow the current
 * target, also after {@link #setTarget(int)}.
 *
 * <p>A layer whose gradient is zero with eps = 0 is left unchanged (0/0 is taken as 0). Parameters
 * without a gradient count as zero gradient.
 */
public final class AlignmentBoostingSGD extends Optimizer {
  /** C when the target is not layer 0. */
  public static final double DEFAULT_BOOST = 5;
  /** eps when the target is not layer 0. */
  public static final double DEFAULT_EPS = 0.1;
  /** C when the target is layer 0. */
  public static final double FIRST_LAYER_BOOST = 200;
  /** eps when the target is layer 0. */
  public static final double FIRST_LAYER_EPS = 0;

  private int target;
  private Double boost; // null: follows the target
  private Double eps;   // null: follows the target

  /**
   * @param model the network; its layers are found as described in the class comment
   * @param lr absolute learning rate
   * @param target index of the boosted layer (0 = first)
   */
  public AlignmentBoostingSGD(Module model, double lr, int target) {
    super(layerGroups(model, lr));
    setTarget(target);
  }

  /** As {@link #AlignmentBoostingSGD(Module, double, int)}; {@code lr} must be absolute. */
  public AlignmentBoostingSGD(Module model, LearningRate lr, int target) {
    this(model, lr.absolute(), target);
  }

  private static List<ParamGroup> layerGroups(Module model, double lr) {
    List<ParamGroup> groups = new ArrayList<>();
    List<String> orphans = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      Map<String, Parameter> own = e.getValue().ownParameters();
      if (own.containsKey("weight")) {
        groups.add(new ParamGroup(e.getKey().isEmpty() ? "(root)" : e.getKey(), new ArrayList<>(own.values()), lr));
      } else if (!own.isEmpty()) {
        orphans.add((e.getKey().isEmpty() ? "(root)" : e.getKey()) + " " + own.keySet());
      }
    }
    if (!orphans.isEmpty()) {
      throw new IllegalArgumentException("AlignmentBoostingSGD: modules own parameters but no 'weight', so they belong to no layer: " + orphans);
    }
    if (groups.isEmpty()) throw new IllegalArgumentException("AlignmentBoostingSGD: the model has no layer (no module with a 'weight')");
    return groups;
  }

  /** Sets C explicitly (&gt;= 1 makes the target faster). @return this */
  public AlignmentBoostingSGD boost(double c) {
    if (!(c > 0) || Double.isInfinite(c)) throw new IllegalArgumentException("AlignmentBoostingSGD: C must be finite and > 0, got " + c);
    this.boost = c;
    return this;
  }

  /** Sets eps explicitly (&gt;= 0). @return this */
  public AlignmentBoostingSGD eps(double eps) {
    if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("AlignmentBoostingSGD: eps must be finite and >= 0, got " + eps);
    this.eps = eps;
    return this;
  }

  /** Re-targets the boost (the instrumentation calls this every T epochs with the lowest-NFA layer). */
  public void setTarget(int layer) {
    if (layer < 0 || layer >= layerCount()) {
      throw new IllegalArgumentException("AlignmentBoostingSGD: target layer " + layer + " is outside [0, " + layerCount() + ") (layers " + layerNames() + ")");
    }
    this.target = layer;
  }

  /** {@return the boosted layer} */
  public int target() {
    return target;
  }

  /** {@return C in effect (the explicit value, or the default for the current target)} */
  public double boostFactor() {
    return boost != null ? boost : (target == 0 ? FIRST_LAYER_BOOST : DEFAULT_BOOST);
  }

  /** {@return eps in effect} */
  public double epsilon() {
    return eps != null ? eps : (target == 0 ? FIRST_LAYER_EPS : DEFAULT_EPS);
  }

  /** {@return number of layers} */
  public int layerCount() {
    return paramGroups().size();
  }

  /** {@return the layers' module names, layer 0 first} */
  public List<String> layerNames() {
    List<String> out = new ArrayList<>();
    for (ParamGroup g : paramGroups()) out.add(g.name());
    return out;
  }

  @Override
  protected void update() {
    double c = boostFactor(), e = epsilon();
    List<ParamGroup> layers = paramGroups();
    for (int l = 0; l < layers.size(); l++) {
      ParamGroup layer = layers.get(l);
      double sumSquares = 0;
      for (Parameter p : layer.params()) if (p.grad() != null) sumSquares += sumOfSquares(p.grad());
      double denominator = e + Math.sqrt(sumSquares);
      if (denominator == 0) continue; // zero gradient and eps = 0: G = 0
      double speed = (l == target ? c : 1 / c) / denominator;
      for (Parameter p : layer.params()) if (p.grad() != null) p.tensor().addInPlace(p.grad(), -layer.lr() * speed);
    }
  }

  /** {@return sum of squared entries, read straight from the storage (no temporary tensor)} */
  static double sumOfSquares(Tensor t) {
    Tensor d = t.copyIfNotDense();
    double s = 0;
    if (d.dtype() == DType.FLOAT32) {
      for (float v : d.storage().f) s += (double) v * v;
    } else {
      for (double v : d.storage().d) s += v * v;
    }
    return s;
  }

  @Override
  protected Map<String, Tensor> saveSlots() {
    return Map.of("target", Tensor.scalar(target, DType.FLOAT64));
  }

  @Override
  protected boolean loadsOwnKey(String key) {
    return key.equals("target");
  }

  @Override
  protected void loadSlots(Map<String, Tensor> slots, Map<String, Tensor> own) {
    super.loadSlots(slots, own);
    if (own.containsKey("target")) setTarget((int) own.get("target").item());
  }

  @Override
  public String toString() {
    return "AlignmentBoostingSGD(lr=" + lr() + ", target=" + target + ", C=" + boostFactor() + ", eps=" + epsilon() + ", layers=" + layerNames() + ")";
  }
}
