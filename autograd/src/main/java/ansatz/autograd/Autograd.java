package ansatz.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine. Read this class to see how {@code backward()} works:
 *
 * <ol>
 *   <li>Every op that is recorded ({@link Function#record}) gives its output a {@code gradFn} that
 *       points at the op's inputs. Leaves (parameters, inputs with {@code requiresGrad}) have none.
 *   <li>{@link #backward} sorts the tensors reachable from the root topologically (an iterative
 *       depth-first search, so deep graphs cannot overflow the stack).
 *   <li>It walks them from the root towards the leaves. Each tensor's gradient is complete when its
 *       turn comes, because every consumer came earlier. Its tensor hooks run on it (and may replace
 *       it), then its {@code gradFn.backward} turns it into gradients for the inputs, which are summed
 *       down to each input's shape ({@link Tensor#sumTo}) and added into the inputs' running totals.
 *   <li>Leaves add what reaches them into {@link Tensor#grad()} (gradients accumulate until zeroed).
 *   <li>Unless the graph is retained, each visited {@code Function} then drops its saved tensors.
 * </ol>
 *
 * <p>{@link #grad} runs the same walk but returns the gradients of chosen tensors (intermediate
 * ones too) instead of accumulating into leaves, and only visits nodes that lead to them. Backward
 * rules run with grad mode off, so no graph is recorded for gradients (no double backward).
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Accumulates d(seed . root)/d(leaf) into every leaf's {@code grad}.
   *
   * @param root the tensor to differentiate; must require grad
   * @param seed the gradient of the final quantity w.r.t. {@code root}, same shape; null means 1
   *     for a scalar root
   * @param retainGraph keep the graph so that backward can run through it again
   */
  public static void backward(Tensor root, Tensor seed, boolean retainGraph) {
    if (!root.requiresGrad()) {
      throw new IllegalStateException("backward: tensor of shape " + Shape.str(root.shape())
          + " does not require grad (no parameter or input with requiresGrad(true) led to it)");
    }
    run(new Tensor[] {root}, new Tensor[] {checkSeed("backward", root, seed)}, null, retainGraph);
  }

  /**
   * The functional gradient: sum_k seeds[k] . d outputs[k] / d inputs[j], for each j. Does not
   * touch any tensor's {@code grad}. Inputs may be intermediate tensors of the graph.
   *
   * @param outputs tensors to differentiate (each must require grad)
   * @param inputs tensors to differentiate with respect to
   * @param seeds one seed per output (null entries mean 1 for scalar outputs); the array may be null
   * @param retainGraph keep the graph for further calls (needed to call grad once per output class)
   * @return one gradient per input, zeros where an input does not influence the outputs
   */
  public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] seeds, boolean retainGraph) {
    if (seeds != null && seeds.length != outputs.length) {
      throw new IllegalArgumentException("grad: " + seeds.length + " seeds for " + outputs.length + " outputs");
    }
    Tensor[] s = new Tensor[outputs.length];
    for (int k = 0; k < outputs.length; k++) {
      if (!outputs[k].requiresGrad()) {
        throw new IllegalArgumentException("grad: output " + k + " of shape " + Shape.str(outputs[k].shape()) + " does not require grad");
      }
      s[k] = checkSeed("grad", outputs[k], seeds == null ? null : seeds[k]);
    }
    Set<Tensor> targets = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : inputs) {
      if (!t.requiresGrad()) {
        throw new IllegalArgumentException("grad: input of shape " + Shape.str(t.shape()) + " does not require grad, so no gradient flows to it");
      }
      targets.add(t);
    }
    Map<Tensor, Tensor> found = run(outputs, s, targets, retainGraph);
    Tensor[] result = new Tensor[inputs.length];
    for (int j = 0; j < inputs.length; j++) {
      Tensor g = found.get(inputs[j]);
      result[j] = g != null ? g : Tensor.zeros(inputs[j].dtype(), inputs[j].shape());
    }
    return result;
  }

  private static Tensor checkSeed(String op, Tensor root, Tensor seed) {
    if (seed == null) {
      if (root.numel() != 1) {
        throw new IllegalArgumentException(op + ": a seed gradient is needed for a non-scalar tensor of shape " + Shape.str(root.shape()));
      }
      return Tensor.ones(root.dtype(), root.shape());
    }
    if (!Shape.same(seed.shape(), root.shape())) {
      throw new IllegalArgumentException(op + ": seed shape " + Shape.str(seed.shape()) + " differs from tensor shape " + Shape.str(root.shape()));
    }
    return seed.dtype() == root.dtype() ? seed : seed.to(root.dtype());
  }

  /** Topological order, roots last (post-order); only tensors that require grad are visited. */
  private static List<Tensor> topoOrder(Tensor[] roots) {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next child index}
    for (Tensor r : roots) {
      if (!seen.add(r)) continue;
      stack.push(new Object[] {r, 0});
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        Tensor t = (Tensor) top[0];
        Function fn = t.gradFn();
        Tensor[] children = fn == null ? new Tensor[0] : fn.inputs();
        int i = (Integer) top[1];
        while (i < children.length && (children[i] == null || !children[i].requiresGrad() || seen.contains(children[i]))) i++;
        if (i < children.length) {
          top[1] = i + 1;
          seen.add(children[i]);
          stack.push(new Object[] {children[i], 0});
        } else {
          stack.pop();
          order.add(t);
        }
      }
    }
    return order;
  }

  private static Map<Tensor, Tensor> run(Tensor[] roots, Tensor[] seeds, Set<Tensor> targets, boolean retainGraph) {
    for (Tensor r : roots) {
      if (r.gradFn() != null && r.gradFn().isReleased()) r.gradFn().inputs(); // throws a clear error
    }
    List<Tensor> order = topoOrder(roots);
    // Which tensors lead to something we want: leaves in backward mode, the targets in grad mode.
    Set<Tensor> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : order) { // children come before parents in post-order
      boolean need = targets == null ? t.gradFn() == null : targets.contains(t);
      if (!need && t.gradFn() != null) {
        for (Tensor c : t.gradFn().inputs()) {
          if (c != null && needed.contains(c)) {
            need = true;
            break;
          }
        }
      }
      if (need) needed.add(t);
    }
    Map<Tensor, Tensor> grads = new IdentityHashMap<>();
    for (int k = 0; k < roots.length; k++) accumulate(grads, roots[k], seeds[k]);
    Map<Tensor, Tensor> found = new IdentityHashMap<>();
    try (Grad.Scope off = Grad.disabled()) {
      for (int n = order.size() - 1; n >= 0; n--) {
        Tensor t = order.get(n);
        Tensor g = grads.remove(t);
        Function fn = t.gradFn();
        if (g != null && needed.contains(t)) {
          g = t.runHooks(g); // hooks see the gradient, so it is no longer the engine's alone
          if (targets != null && targets.contains(t)) {
            g.engineOwned(false);
            found.put(t, g);
          }
          if (targets == null && fn == null) t.accumulateGrad(g); // a leaf may take an owned g as is
          if (targets == null && fn != null && t.retainsGrad()) {
            g.engineOwned(false); // fn.backward below may overwrite an owned g: keep a copy
            t.accumulateGrad(g);
          }
          if (fn != null) propagate(fn, g, needed, grads);
        }
        if (fn != null && !retainGraph) fn.release();
      }
    }
    return found;
  }

  private static void propagate(Function fn, Tensor g, Set<Tensor> needed, Map<Tensor, Tensor> grads) {
    Tensor[] inputs = fn.inputs();
    boolean[] needs = new boolean[inputs.length];
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      needs[i] = inputs[i] != null && inputs[i].requiresGrad() && needed.contains(inputs[i]);
      any |= needs[i];
    }
    if (!any) return;
    Tensor[] gi = fn.runBackward(g, needs);
    disownShared(gi, g);
    for (int i = 0; i < inputs.length; i++) {
      if (!needs[i] || gi[i] == null) continue;
      Tensor x = inputs[i];
      Tensor gx = gi[i];
      if (!Shape.same(gx.shape(), x.shape())) gx = gx.sumTo(x.shape());
      if (gx.dtype() != x.dtype()) gx = gx.to(x.dtype());
      accumulate(grads, x, gx);
    }
  }

  /**
   * A backward rule may mark its results as owned by the engine ({@link Function#owned}); a buffer
   * that reaches two inputs, or that shares storage with a gradOutput the engine does not own, is
   * not exclusively owned after all, so the mark is dropped (a defence against a mistaken rule).
   */
  private static void disownShared(Tensor[] gi, Tensor gradOutput) {
    for (int i = 0; i < gi.length; i++) {
      if (gi[i] == null || !gi[i].engineOwned()) continue;
      boolean shared = gi[i].storage() == gradOutput.storage() && !gradOutput.engineOwned();
      for (int j = 0; j < gi.length && !shared; j++) shared = j != i && gi[j] != null && gi[j].storage() == gi[i].storage();
      if (shared) gi[i].engineOwned(false);
    }
  }

  private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
    Tensor prev = grads.get(t);
    if (prev == null) {
      grads.put(t, g);
    } else {
      Tensor sum = prev.add(g); // a fresh buffer only the engine knows
      sum.engineOwned(true);
      grads.put(t, sum);
    }
  }
}
