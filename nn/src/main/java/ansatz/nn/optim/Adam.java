package ansatz.nn.optim;

import ansatz.autograd.Tensor;
import ansatz.nn.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, exactly as {@code torch.optim.Adam} (PyTorch 1.13, amsgrad off) defines it. For each
 * parameter p with gradient g, at step t = 1, 2, ...:
 *
 * <pre>
 * g = g + weightDecay * p                      (L2 penalty added to the gradient, as PyTorch)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Defaults: beta1 = 0.9, beta2 = 0.999, eps = 1e-8, no weight decay. The step count t is kept per
 * parameter (a parameter without a gradient at some step does not advance), as PyTorch does.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * }</pre>
 */
public final class Adam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double eps = 1e-8;
  private double weightDecay;
  private final Tensor[] firstMoments;
  private final Tensor[] secondMoments;
  private final long[] steps;

  /** Adam over {@code params} with an absolute learning rate {@code lr}. */
  public Adam(List<Parameter> params, double lr) {
    this(List.of(new ParamGroup("params", params, lr)));
  }

  /** Adam over several groups, each with its own learning rate. */
  public Adam(List<ParamGroup> groups) {
    super(groups);
    int n = parameters().size();
    this.firstMoments = new Tensor[n];
    this.secondMoments = new Tensor[n];
    this.steps = new long[n];
  }

  /** Sets beta1 and beta2, each in [0, 1). @return this */
  public Adam betas(double b1, double b2) {
    if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
      throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + b1 + ", " + b2 + ")");
    }
    this.beta1 = b1;
    this.beta2 = b2;
    return this;
  }

  /** Sets eps (&gt; 0), the term that keeps the denominator away from 0. @return this */
  public Adam eps(double e) {
    if (!(e > 0) || Double.isInfinite(e)) throw new IllegalArgumentException("Adam: eps must be finite and > 0, got " + e);
    this.eps = e;
    return this;
  }

  /** Sets the L2 weight decay (&gt;= 0; added to the gradient, as PyTorch's Adam, not AdamW). @return this */
  public Adam weightDecay(double wd) {
    if (!(wd >= 0) || Double.isInfinite(wd)) throw new IllegalArgumentException("Adam: weight decay must be finite and >= 0, got " + wd);
    this.weightDecay = wd;
    return this;
  }

  @Override
  protected void update() {
    int i = 0;
    for (ParamGroup group : paramGroups()) {
      double lr = group.lr();
      for (Parameter param : group.params()) {
        int index = i++;
        Tensor g = param.grad();
        if (g == null) continue;
        Tensor p = param.tensor();
        if (weightDecay != 0) g = g.add(p.mul(weightDecay));
        if (firstMoments[index] == null || firstMoments[index].dtype() != p.dtype()) {
          firstMoments[index] = firstMoments[index] == null ? Tensor.zeros(p.dtype(), p.shape()) : firstMoments[index].to(p.dtype()).copyData();
          secondMoments[index] = secondMoments[index] == null ? Tensor.zeros(p.dtype(), p.shape()) : secondMoments[index].to(p.dtype()).copyData();
        }
        Tensor m = firstMoments[index], v = secondMoments[index];
        long t = ++steps[index];
        m.mulInPlace(beta1);
        m.addInPlace(g, 1 - beta1);
        v.mulInPlace(beta2);
        v.addInPlace(g.square(), 1 - beta2);
        double bias1 = 1 - Math.pow(beta1, t), bias2 = 1 - Math.pow(beta2, t);
        Tensor denominator = v.sqrt().div(Math.sqrt(bias2)).add(eps);
        p.addInPlace(m.div(denominator), -lr / bias1);
      }
    }
  }

  /** @return the first-moment estimate m of parameter {@code index} (in {@link #parameters()} order), or null */
  public Tensor firstMoment(int index) {
    return firstMoments[index];
  }

  /** @return the second-moment estimate v of parameter {@code index}, or null */
  public Tensor secondMoment(int index) {
    return secondMoments[index];
  }

  @Override
  protected Map<String, Tensor> saveSlots() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < steps.length; i++) {
      if (firstMoments[i] == null) continue;
      out.put("param." + i + ".step", Tensor.scalar(steps[i], ansatz.autograd.DType.FLOAT64));
      out.put("param." + i + ".exp_avg", firstMoments[i]);
      out.put("param." + i + ".exp_avg_sq", secondMoments[i]);
    }
    return out;
  }

  @Override
  protected void loadSlots(Map<String, Tensor> slots, Map<String, Tensor> own) {
    int n = steps.length;
    Tensor[] m = new Tensor[n], v = new Tensor[n];
    long[] t = new long[n];
    List<Parameter> params = parameters();
    for (Map.Entry<String, Tensor> e : slots.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      int i = Integer.parseInt(parts[1]);
      Tensor value = e.getValue();
      switch (parts[2]) {
        case "step" -> {
          if (value.dim() != 0) throw new IllegalArgumentException("Adam.loadState: '" + e.getKey() + "' must be a scalar, got shape " + Arrays.toString(value.shape()));
          t[i] = Math.round(value.item());
        }
        case "exp_avg", "exp_avg_sq" -> {
          if (value.dim() != params.get(i).shape().length) {
            throw new IllegalArgumentException("Adam.loadState: '" + e.getKey() + "' has shape " + Arrays.toString(value.shape())
                + ", parameter " + i + " has " + Arrays.toString(params.get(i).shape()));
          }
          Tensor copy = value.detach().to(params.get(i).dtype()).copyData();
          if (parts[2].equals("exp_avg")) m[i] = copy;
          else v[i] = copy;
        }
        default -> throw new IllegalArgumentException("Adam.loadState: unexpected key '" + e.getKey() + "'");
      }
    }
    for (int i = 0; i < n; i++) {
      if ((m[i] == null) != (v[i] == null) || (m[i] != null && t[i] <= 0)) {
        throw new IllegalArgumentException("Adam.loadState: parameter " + i + " needs step, exp_avg and exp_avg_sq together");
      }
    }
    System.arraycopy(m, 0, firstMoments, 0, n);
    System.arraycopy(v, 0, secondMoments, 0, n);
    System.arraycopy(t, 0, steps, 0, n);
  }

  @Override
  public String toString() {
    return "Adam(lr=" + lr() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay + ")";
  }
}
