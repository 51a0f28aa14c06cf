package ansatz.nn.optim;

import ansatz.nn.Parameter;
import java.util.List;

/**
 * Parameters that share a learning rate, as a PyTorch param group. Schedules change {@link #lr()}
 * through {@link #setLr(double)}. Only the learning rate is per group; an optimizer's other settings
 * (momentum, weight decay, ...) apply to all groups.
 */
public final class ParamGroup {
  private final String name;
  private final List<Parameter> params;
  private double lr;

  /**
   * @param name shown in logs and errors (the layer name for the alignment-boosting rule)
   * @param params the members, in order
   * @param lr the learning rate (absolute, &gt;= 0)
   */
  public ParamGroup(String name, List<Parameter> params, double lr) {
    if (params == null) throw new IllegalArgumentException("ParamGroup '" + name + "': params is null");
    for (Parameter p : params) if (p == null) throw new IllegalArgumentException("ParamGroup '" + name + "': contains a null parameter");
    this.name = name;
    this.params = List.copyOf(params);
    setLr(lr);
  }

  /** {@return the group's name} */
  public String name() {
    return name;
  }

  /** {@return the members, in order} */
  public List<Parameter> params() {
    return params;
  }

  /** {@return the current learning rate} */
  public double lr() {
    return lr;
  }

  /** Sets the learning rate (absolute, finite, &gt;= 0). */
  public void setLr(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("ParamGroup '" + name + "': learning rate must be finite and >= 0, got " + lr);
    this.lr = lr;
  }
}
