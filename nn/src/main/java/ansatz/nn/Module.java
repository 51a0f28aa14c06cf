package ansatz.nn;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A piece of a network, as PyTorch's {@code nn.Module}: it owns named parameters, buffers and child
 * modules (all kept in registration order) and maps one tensor to one tensor.
 *
 * <h2>Writing a module</h2>
 * Register what you own in the constructor and implement {@link #forward}:
 *
 * <pre>{@code
 * final class Affine extends Module {
 *   private final Parameter scale;
 *   Affine(int n) { scale = registerParameter("scale", new Parameter(Tensor.ones(n))); }
 *   protected Tensor forward(Tensor x) { return x.mul(scale.tensor()); }
 * }
 * }</pre>
 *
 * <h2>Calling a module</h2>
 * Always through {@link #call(Tensor)}, never {@code forward} directly: {@code call} runs the hooks.
 * For one call the order is:
 *
 * <ol>
 *   <li>forward pre-hooks, in registration order (each may replace the input);
 *   <li>if full backward hooks are registered and grad mode is on: the input is routed through an
 *       identity node so that its gradient can be observed;
 *   <li>{@link #forward};
 *   <li>forward hooks, in registration order (each sees the input and may replace the output);
 *   <li>the output is routed through an identity node (backward hooks only).
 * </ol>
 *
 * During backward, the full backward hooks run (in registration order) as soon as the gradient with
 * respect to this call's input is complete; they also receive the gradient with respect to its
 * output, which is known by then. See {@link #registerFullBackwardHook}.
 *
 * <h2>Names</h2>
 * Parameters of children get dotted names, e.g. {@code layers.0.weight}. Iteration order is stable:
 * a module's own parameters first, then each child's, depth first (PyTorch's order).
 */
public abstract class Module {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;
  private final HookList<ForwardPreHook> forwardPreHooks = new HookList<>();
  private final HookList<ForwardHook> forwardHooks = new HookList<>();
  private final HookList<BackwardHook> backwardHooks = new HookList<>();

  /** For subclasses: a new module has no parameters, buffers, children or hooks, and is in training mode. */
  protected Module() {}

  /**
   * The computation of this module. Called by {@link #call(Tensor)}; do not call it directly from
   * outside (hooks would be skipped). Containers call their children's {@code call}.
   */
  protected abstract Tensor forward(Tensor x);

  /**
   * Runs this module on {@code x}: pre-hooks, {@link #forward}, forward hooks, and the set-up of the
   * backward hooks, in the order described in the class comment.
   */
  public final Tensor call(Tensor x) {
    if (x == null) throw new IllegalArgumentException(typeName() + ": input is null");
    for (ForwardPreHook h : forwardPreHooks.snapshot()) {
      Tensor r = h.apply(this, x);
      if (r != null) x = r;
    }
    BackwardHookCall backward = null;
    if (!backwardHooks.isEmpty() && Grad.isEnabled()) {
      backward = new BackwardHookCall(this, backwardHooks.snapshot());
      x = backward.wrapInput(x);
    }
    Tensor y = forward(x);
    if (y == null) throw new IllegalStateException(typeName() + ".forward returned null");
    for (ForwardHook h : forwardHooks.snapshot()) {
      Tensor r = h.apply(this, x, y);
      if (r != null) y = r;
    }
    if (backward != null) y = backward.wrapOutput(y);
    return y;
  }

  // ===================================================================== registration

  /**
   * Registers a parameter under {@code name} (no dots; unique within this module).
   *
   * @return {@code p}, so that a field can be assigned in one line
   */
  public final Parameter registerParameter(String name, Parameter p) {
    checkNewName(name);
    if (p == null) throw new IllegalArgumentException(typeName() + ".registerParameter: parameter '" + name + "' is null");
    parameters.put(name, p);
    return p;
  }

  /**
   * Registers a child module under {@code name} (no dots; unique within this module).
   *
   * @return {@code m}
   */
  public final <M extends Module> M registerModule(String name, M m) {
    checkNewName(name);
    if (m == null) throw new IllegalArgumentException(typeName() + ".registerModule: module '" + name + "' is null");
    if (m == this || m.namedModules().containsValue(this)) {
      throw new IllegalArgumentException(typeName() + ".registerModule: registering '" + name + "' would make a cycle");
    }
    children.put(name, m);
    return m;
  }

  /**
   * Registers a buffer: state that is saved in {@link #stateDict()} and converted by {@link #to}
   * but is not learned (running statistics, say). Read it back with {@link #buffer(String)}, since
   * {@link #to} replaces the tensor.
   *
   * @return {@code t}
   */
  public final Tensor registerBuffer(String name, Tensor t) {
    checkNewName(name);
    if (t == null) throw new IllegalArgumentException(typeName() + ".registerBuffer: buffer '" + name + "' is null");
    buffers.put(name, t.detach());
    return buffers.get(name);
  }

  /** {@return this module's own buffer {@code name}} */
  public final Tensor buffer(String name) {
    Tensor t = buffers.get(name);
    if (t == null) throw new IllegalArgumentException(typeName() + ": no buffer named '" + name + "' (has " + buffers.keySet() + ")");
    return t;
  }

  private void checkNewName(String name) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(typeName() + ": invalid name '" + name + "' (must be non-empty and contain no '.')");
    }
    if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(typeName() + ": name '" + name + "' is already registered");
    }
  }

  // ===================================================================== traversal

  /** {@return this module's own parameters by name (not its children's), in registration order} */
  public final Map<String, Parameter> ownParameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** {@return the direct children by name, in registration order} */
  public final Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(children);
  }

  /** {@return the direct children, in registration order} */
  public final List<Module> children() {
    return List.copyOf(children.values());
  }

  /**
   * {@return this module (name {@code ""}) and all descendants by dotted name, depth first in
   *     registration order; a module reachable twice is listed once, under its first name}
   */
  public final Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
    if (!seen.add(m)) return;
    out.put(prefix, m);
    for (Map.Entry<String, Module> c : m.children.entrySet()) {
      collectModules(prefix.isEmpty() ? c.getKey() : prefix + "." + c.getKey(), c.getValue(), out, seen);
    }
  }

  /**
   * {@return every parameter by dotted name ({@code layers.0.weight}): each module's own parameters,
   *     modules in {@link #namedModules()} order; a shared parameter is listed once}
   */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      for (Map.Entry<String, Parameter> p : m.getValue().parameters.entrySet()) {
        if (seen.add(p.getValue())) out.put(qualify(m.getKey(), p.getKey()), p.getValue());
      }
    }
    return out;
  }

  /** {@return every parameter, in {@link #namedParameters()} order} */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** {@return the total number of learnable scalars} */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) n += p.numel();
    return n;
  }

  private static String qualify(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  // ===================================================================== modes and gradients

  /** Sets training mode on this module and all descendants. @return this */
  public final Module train(boolean on) {
    for (Module m : namedModules().values()) m.training = on;
    return this;
  }

  /** Training mode (the default). @return this */
  public final Module train() {
    return train(true);
  }

  /** Evaluation mode, i.e. {@code train(false)}. @return this */
  public final Module eval() {
    return train(false);
  }

  /** {@return whether this module is in training mode} */
  public final boolean isTraining() {
    return training;
  }

  /** Clears the gradient of every parameter (to null, as PyTorch's default {@code set_to_none}). */
  public final void zeroGrad() {
    for (Parameter p : parameters()) p.zeroGrad();
  }

  /**
   * Converts every parameter and buffer to {@code dtype} (as PyTorch's {@code model.double()}).
   * The {@link Parameter} objects stay the same, only their tensors are replaced. Inputs must then
   * have the same type.
   *
   * @return this
   */
  public Module to(DType dtype) {
    for (Module m : namedModules().values()) {
      for (Parameter p : m.parameters.values()) p.convertTo(dtype);
      for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
        try (Grad.Scope off = Grad.disabled()) {
          b.setValue(b.getValue().to(dtype).copyData());
        }
      }
    }
    return this;
  }

  // ===================================================================== state dict

  /**
   * {@return copies of every parameter and buffer by dotted name, in PyTorch's order (each module's
   *     parameters, then its buffers, then its children). The copies do not require grad and share
   *     nothing with the module.}
   */
  public final LinkedHashMap<String, Tensor> stateDict() {
    LinkedHashMap<String, Tensor> live = new LinkedHashMap<>();
    collectState("", live);
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    try (Grad.Scope off = Grad.disabled()) {
      for (Map.Entry<String, Tensor> e : live.entrySet()) out.put(e.getKey(), e.getValue().detach().copyData());
    }
    return out;
  }

  private void collectState(String prefix, Map<String, Tensor> out) {
    for (Map.Entry<String, Parameter> p : parameters.entrySet()) out.put(qualify(prefix, p.getKey()), p.getValue().tensor());
    for (Map.Entry<String, Tensor> b : buffers.entrySet()) out.put(qualify(prefix, b.getKey()), b.getValue());
    for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().collectState(qualify(prefix, c.getKey()), out);
  }

  /** What {@link #loadStateDict} did not match (both lists are empty after a strict load). */
  public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

  /**
   * Copies values from {@code state} into this module's parameters and buffers (converting the
   * element type if needed), as PyTorch's {@code load_state_dict}.
   *
   * <p>Nothing is copied unless everything checks out. Shape mismatches are always an error (as in
   * PyTorch). With {@code strict}, keys of the model missing from {@code state} and keys of
   * {@code state} the model does not have are errors too; without it they are skipped and
   * reported in the result. All problems are listed in one {@link IllegalArgumentException}.
   */
  public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
    if (state == null) throw new IllegalArgumentException("loadStateDict: state is null");
    Map<String, Tensor> live = new LinkedHashMap<>();
    collectState("", live);
    List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), problems = new ArrayList<>();
    for (String k : live.keySet()) if (!state.containsKey(k)) missing.add(k);
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      Tensor target = live.get(e.getKey());
      if (target == null) {
        unexpected.add(e.getKey());
      } else if (e.getValue() == null) {
        problems.add("  value for '" + e.getKey() + "' is null");
      } else if (!Arrays.equals(target.shape(), e.getValue().shape())) {
        problems.add("  size mismatch for '" + e.getKey() + "': given " + Arrays.toString(e.getValue().shape())
            + ", the model has " + Arrays.toString(target.shape()));
      }
    }
    if (strict && !unexpected.isEmpty()) problems.add(0, "  unexpected keys: " + unexpected);
    if (strict && !missing.isEmpty()) problems.add(0, "  missing keys: " + missing);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("loadStateDict: error(s) loading the state of " + typeName() + " (nothing was changed):\n"
          + String.join("\n", problems));
    }
    try (Grad.Scope off = Grad.disabled()) {
      for (Map.Entry<String, Tensor> e : live.entrySet()) {
        Tensor src = state.get(e.getKey());
        if (src != null) e.getValue().copyFrom(src);
      }
    }
    return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
  }

  /** Strict {@link #loadStateDict(Map, boolean)}. */
  public final LoadResult loadStateDict(Map<String, Tensor> state) {
    return loadStateDict(state, true);
  }

  // ===================================================================== hooks

  /**
   * Registers a hook that runs before every {@link #forward} and may replace the input (return it,
   * or null to keep the input). Pre-hooks run in registration order, each seeing the previous one's
   * result.
   *
   * @return a handle whose {@code close()} removes the hook
   */
  public final HookHandle registerForwardPreHook(ForwardPreHook hook) {
    return forwardPreHooks.add(hook);
  }

  /**
   * Registers a hook that runs after every {@link #forward}, sees (module, input, output) and may
   * replace the output (return it, or null to keep it). Forward hooks run in registration order.
   * On a {@link Linear}, input and output are the layer input h_l and pre-activation z_l.
   *
   * @return a handle whose {@code close()} removes the hook
   */
  public final HookHandle registerForwardHook(ForwardHook hook) {
    return forwardHooks.add(hook);
  }

  /**
   * Registers a hook that sees d loss / d input and d loss / d output of every call of this module
   * made while the hook is registered, and may replace d loss / d input (return the replacement, or
   * null). As PyTorch's {@code register_full_backward_hook}: it runs once the input gradient is
   * complete, backward hooks in registration order, each seeing the previous one's replacement.
   * Unlike PyTorch, the input gradient is also computed when the input does not require grad (the
   * first layer's input x), at the cost of that extra product, so that it can be observed.
   * Calls made with grad mode off set nothing up.
   *
   * @return a handle whose {@code close()} removes the hook (for later calls; a graph already built
   *     keeps the hooks it was built with)
   */
  public final HookHandle registerFullBackwardHook(BackwardHook hook) {
    return backwardHooks.add(hook);
  }

  /** @return whether any forward pre-hook, forward hook or backward hook is registered on this module */
  final boolean hasHooks() {
    return !forwardPreHooks.isEmpty() || !forwardHooks.isEmpty() || !backwardHooks.isEmpty();
  }

  // ===================================================================== printing

  /** {@return the name printed by {@link #toString()}; the simple class name by default} */
  protected String typeName() {
    String s = getClass().getSimpleName();
    return s.isEmpty() ? "Module" : s;
  }

  /** {@return the settings printed inside the parentheses, e.g. {@code in=784, out=10, bias=false}} */
  protected String extraRepr() {
    return "";
  }

  /**
   * PyTorch's layout: {@code Linear(in=784, out=10, bias=false)} for a leaf, and for a container
   * <pre>
   * Sequential(
   *   (0): Linear(in=784, out=1024, bias=false)
   *   (1): ReLU()
   * )</pre>
   */
  @Override
  public String toString() {
    String extra = extraRepr();
    if (children.isEmpty()) return typeName() + "(" + extra + ")";
    StringBuilder sb = new StringBuilder(typeName()).append("(\n");
    if (!extra.isEmpty()) for (String line : extra.split("\n")) sb.append("  ").append(line).append('\n');
    for (Map.Entry<String, Module> c : children.entrySet()) {
      sb.append("  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  ")).append('\n');
    }
    return sb.append(')').toString();
  }
}
