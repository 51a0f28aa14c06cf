package ansatz.nn.optim;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.SgdUpdate;
import ansatz.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay, exactly
 * as {@code torch.optim.SGD} (PyTorch 1.13) defines them. For each parameter p with gradient g:
 *
 * <pre>
 * d = g + weightDecay * p
 * if momentum != 0:
 *   buf = d                                       (first step)
 *   buf = momentum * buf + (1 - dampening) * d    (later steps)
 *   d = nesterov ? d + momentum * buf : buf
 * p = p - lr * d
 * </pre>
 *
 * The momentum buffers are allocated once, at a parameter's first update; the update itself is one
 * fused, vectorized pass over each parameter ({@link SgdUpdate}) and allocates nothing proportional
 * to the parameters (the terms are regrouped, e.g. p(1 - lr wd) - lr g, which differs from
 * PyTorch's order only by rounding).
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1).momentum(0.9).nesterov(true).weightDecay(5e-4);
 * }</pre>
 */
public final class SGD extends Optimizer {
  private double momentum;
  private double dampening;
  private double weightDecay;
  private boolean nesterov;
  private final Tensor[] buffers;

  /** Plain SGD over {@code params} with an absolute learning rate {@code lr}. */
  public SGD(List<Parameter> params, double lr) {
    this(List.of(new ParamGroup("params", params, lr)));
  }

  /** Plain SGD; {@code lr} must be absolute ({@link LearningRate#absolute()} throws for relative rates). */
  public SGD(List<Parameter> params, LearningRate lr) {
    this(params, lr.absolute());
  }

  /** SGD over several groups, each with its own learning rate. */
  public SGD(List<ParamGroup> groups) {
    super(groups);
    this.buffers = new Tensor[parameters().size()];
  }

  /** Sets the momentum factor (&gt;= 0; 0 = none). @return this */
  public SGD momentum(double momentum) {
    if (!(momentum >= 0) || Double.isInfinite(momentum)) throw new IllegalArgumentException("SGD: momentum must be finite and >= 0, got " + momentum);
    this.momentum = momentum;
    return this;
  }

  /** Sets the dampening of the momentum (default 0). @return this */
  public SGD dampening(double dampening) {
    if (!Double.isFinite(dampening)) throw new IllegalArgumentException("SGD: dampening must be finite, got " + dampening);
    this.dampening = dampening;
    return this;
  }

  /** Sets the L2 weight decay (&gt;= 0; added to the gradient, as PyTorch). @return this */
  public SGD weightDecay(double weightDecay) {
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new IllegalArgumentException("SGD: weight decay must be finite and >= 0, got " + weightDecay);
    this.weightDecay = weightDecay;
    return this;
  }

  /** Turns Nesterov momentum on or off (needs momentum &gt; 0 and dampening 0). @return this */
  public SGD nesterov(boolean on) {
    this.nesterov = on;
    return this;
  }

  @Override
  protected void update() {
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalStateException("SGD: Nesterov momentum requires momentum > 0 and dampening = 0 (momentum=" + momentum + ", dampening=" + dampening + ")");
    }
    int i = 0;
    for (ParamGroup group : paramGroups()) {
      SgdUpdate.Rule rule = new SgdUpdate.Rule(group.lr(), momentum, dampening, weightDecay, nesterov);
      for (Parameter param : group.params()) {
        int index = i++;
        Tensor g = param.grad();
        if (g == null) continue;
        Tensor p = param.tensor();
        boolean first = false;
        Tensor buf = null;
        if (momentum != 0) {
          buf = momentumBuffer(index, param);
          if (buf == null) { // created at the first step; the kernel sets it to g + wd p
            buffers[index] = buf = Tensor.zeros(p.dtype(), p.shape());
            first = true;
          }
        }
        update(rule, first, p, g, buf);
      }
    }
  }

  /** One fused pass over p (and buf): see {@link SgdUpdate} for the formulas, identical to the per-op ones. */
  private static void update(SgdUpdate.Rule rule, boolean first, Tensor p, Tensor g, Tensor buf) {
    if (!p.isContiguous()) throw new IllegalArgumentException("SGD: parameter of shape " + Arrays.toString(p.shape()) + " must be contiguous");
    if (buf != null && (!buf.isContiguous() || buf.numel() != p.numel())) {
      throw new IllegalStateException("SGD: momentum buffer of shape " + Arrays.toString(buf.shape()) + " does not fit parameter " + Arrays.toString(p.shape()));
    }
    Tensor gd = g.dtype() == p.dtype() ? g.copyIfNotDense() : g.to(p.dtype()).copyIfNotDense();
    int n = p.numel();
    if (p.dtype() == DType.FLOAT32) {
      SgdUpdate.step(rule, first, p.storage().f, p.offset(), gd.storage().f, 0, buf == null ? null : buf.storage().f, buf == null ? 0 : buf.offset(), n);
    } else {
      SgdUpdate.step(rule, first, p.storage().d, p.offset(), gd.storage().d, 0, buf == null ? null : buf.storage().d, buf == null ? 0 : buf.offset(), n);
    }
    p.storage().bumpVersion();
    if (buf != null) buf.storage().bumpVersion();
  }

  /** {@return the buffer of parameter {@code index}, converted if the parameter changed type since} */
  private Tensor momentumBuffer(int index, Parameter param) {
    Tensor buf = buffers[index];
    if (buf != null && buf.dtype() != param.dtype()) buffers[index] = buf = buf.to(param.dtype()).copyData();
    return buf;
  }

  /** {@return the momentum buffer of parameter {@code index} (in {@link #parameters()} order), or null} */
  public Tensor momentumBuffer(int index) {
    return buffers[index];
  }

  @Override
  protected Map<String, Tensor> saveSlots() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < buffers.length; i++) if (buffers[i] != null) out.put("param." + i + ".momentum_buffer", buffers[i]);
    return out;
  }

  @Override
  protected void loadSlots(Map<String, Tensor> slots, Map<String, Tensor> own) {
    Tensor[] loaded = new Tensor[buffers.length];
    List<Parameter> params = parameters();
    for (Map.Entry<String, Tensor> e : slots.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      int i = Integer.parseInt(parts[1]);
      if (!parts[2].equals("momentum_buffer") || e.getValue().dim() != params.get(i).shape().length) {
        throw new IllegalArgumentException("SGD.loadState: unexpected key '" + e.getKey() + "' of shape " + Arrays.toString(e.getValue().shape()));
      }
      loaded[i] = e.getValue().detach().to(params.get(i).dtype()).copyData();
    }
    System.arraycopy(loaded, 0, buffers, 0, buffers.length);
  }

  @Override
  public String toString() {
    return "SGD(lr=" + lr() + ", momentum=" + momentum + ", dampening=" + dampening + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ")";
  }
}
