package ansatz.nn.optim;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers: parameter groups, {@link #step()}, {@link #zeroGrad()}, and state for
 * checkpoints.
 *
 * <p>{@link #step()} runs the subclass's {@link #update()} with grad mode off; updates change the
 * parameter tensors in place ({@code addInPlace}, {@code mulInPlace}), so tensors held elsewhere
 * (by the model, hooks, instruments) see the new values. Parameters whose gradient is null are
 * skipped, as in PyTorch.
 *
 * <p>State ({@link #state()}) is a flat map of tensors: {@code group.<g>.lr} for every group, then
 * whatever the subclass keeps per parameter under {@code param.<i>.<slot>}, where {@code i} counts
 * parameters across groups in order (PyTorch numbers them the same way).
 */
public abstract class Optimizer {
  private final List<ParamGroup> groups;
  private final List<Parameter> flat = new ArrayList<>();

  /** @param groups at least one group; a parameter may appear only once */
  protected Optimizer(List<ParamGroup> groups) {
    if (groups == null || groups.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameter groups");
    this.groups = List.copyOf(groups);
    java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (ParamGroup g : this.groups) {
      for (Parameter p : g.params()) {
        if (!seen.add(p)) throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter appears twice (group '" + g.name() + "')");
        flat.add(p);
      }
    }
  }

  /** Applies one update from the current gradients (grad mode off). */
  public final void step() {
    try (Grad.Scope off = Grad.disabled()) {
      update();
    }
  }

  /** The update rule; called by {@link #step()} with grad mode off. */
  protected abstract void update();

  /** Clears the gradient of every parameter (to null). */
  public void zeroGrad() {
    for (Parameter p : flat) p.zeroGrad();
  }

  /** {@return the groups, in order} */
  public final List<ParamGroup> paramGroups() {
    return groups;
  }

  /** {@return all parameters across groups, in order (index i is the {@code i} of state keys)} */
  public final List<Parameter> parameters() {
    return List.copyOf(flat);
  }

  /** Sets the learning rate of every group. */
  public final void setLr(double lr) {
    for (ParamGroup g : groups) g.setLr(lr);
  }

  /** {@return the learning rate of the first group} */
  public final double lr() {
    return groups.get(0).lr();
  }

  /** {@return copies of the optimizer's state for a checkpoint (see the class comment for the keys)} */
  public final Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) out.put("group." + g + ".lr", Tensor.scalar(groups.get(g).lr(), DType.FLOAT64));
    try (Grad.Scope off = Grad.disabled()) {
      for (Map.Entry<String, Tensor> e : saveSlots().entrySet()) out.put(e.getKey(), e.getValue().copyData());
    }
    return out;
  }

  /**
   * Restores what {@link #state()} returned (for the same parameters). Keys this optimizer does not
   * know and shape mismatches are errors; absent per-parameter slots mean "not yet created" (a
   * momentum buffer, say, is then created at the next step).
   */
  public final void loadState(Map<String, Tensor> state) {
    Map<String, Tensor> rest = new LinkedHashMap<>(state);
    double[] lrs = new double[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      Tensor t = rest.remove("group." + g + ".lr");
      lrs[g] = t == null ? groups.get(g).lr() : t.item();
    }
    Map<String, Tensor> slots = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : rest.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      if (parts.length == 3 && parts[0].equals("param") && isIndex(parts[1])) slots.put(e.getKey(), e.getValue());
      else if (!loadsOwnKey(e.getKey())) unknown.add(e.getKey());
    }
    if (!unknown.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: unknown keys " + unknown);
    for (Map.Entry<String, Tensor> e : slots.entrySet()) {
      int i = Integer.parseInt(e.getKey().split("\\.")[1]);
      if (i >= flat.size()) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: '" + e.getKey() + "' but there are only " + flat.size() + " parameters");
      int[] want = flat.get(i).shape();
      if (!java.util.Arrays.equals(want, e.getValue().shape()) && e.getValue().dim() != 0) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: '" + e.getKey() + "' has shape "
            + java.util.Arrays.toString(e.getValue().shape()) + ", parameter " + i + " has " + java.util.Arrays.toString(want));
      }
    }
    Map<String, Tensor> own = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : rest.entrySet()) if (!slots.containsKey(e.getKey())) own.put(e.getKey(), e.getValue());
    loadSlots(slots, own);
    for (int g = 0; g < groups.size(); g++) groups.get(g).setLr(lrs[g]);
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /**
   * {@return the subclass's state: per-parameter slots as {@code param.<i>.<slot>} and optimizer-wide
   *     values under keys of its own; the base copies them}
   */
  protected Map<String, Tensor> saveSlots() {
    return Map.of();
  }

  /** {@return whether {@code key} (not of the form {@code param.<i>.<slot>}) is an optimizer-wide key of the subclass} */
  protected boolean loadsOwnKey(String key) {
    return false;
  }

  /**
   * Restores the subclass's state; both maps are already checked (indices in range, shapes equal to
   * their parameter's, or scalars).
   *
   * @param slots {@code param.<i>.<slot>} entries
   * @param own entries accepted by {@link #loadsOwnKey}
   */
  protected void loadSlots(Map<String, Tensor> slots, Map<String, Tensor> own) {
    if (!slots.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: keeps no per-parameter state, got " + slots.keySet());
  }
}
