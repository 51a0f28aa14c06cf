package ansatz.autograd;

import java.util.Arrays;

/**
 * One differentiable primitive: its forward computation and its backward rule, side by side in one
 * small class (minitorch's {@code Function}). Subclasses live in {@code ansatz.autograd.ops} and look
 * like this:
 *
 * <pre>{@code
 * public final class Mul extends Function {
 *   public static Tensor apply(Tensor a, Tensor b) {
 *     Tensor out = Elementwise.binary("mul", a, b, (x, y) -> x * y);   // forward, never recorded
 *     return new Mul().record(out, a, b);                                // connects out to a and b
 *   }
 *   protected Tensor[] backward(Tensor g) {                              // dL/d(out) -> dL/d(inputs)
 *     return new Tensor[] {needsGrad(0) ? g.mul(input(1)) : null, needsGrad(1) ? g.mul(input(0)) : null};
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #record} attaches the output to the graph only when grad mode is on and some input
 * requires a gradient. The engine ({@link Autograd}) calls {@link #backward} once per recorded node,
 * with grad mode off, and then sums each returned gradient down to its input's shape with one shared
 * rule ({@link Tensor#sumTo}): so a broadcasting op may return gradients in the broadcast shape.
 * Inputs, and anything passed to {@link #save}, are kept until backward runs; unless the graph is
 * retained they are released right after, which frees the memory.
 */
public abstract class Function {
  private Tensor[] inputs;
  private int[] inputVersions;
  private Object[] saved;
  private int[] savedVersions;
  private boolean[] needsGrad;
  private boolean released;

  /** For subclasses: one instance per recorded call, created by the primitive's {@code apply}. */
  protected Function() {}

  /**
   * Makes {@code out} the result of this function applied to {@code inputs}, if recording.
   *
   * @return {@code out}, for chaining
   */
  protected final Tensor record(Tensor out, Tensor... inputs) {
    if (!Grad.isEnabled()) return out;
    boolean any = false;
    for (Tensor t : inputs) any |= t != null && t.requiresGrad();
    if (!any) return out;
    this.inputs = inputs.clone(); // the caller's varargs array may be reused; the graph must not change with it
    this.inputVersions = new int[inputs.length];
    for (int i = 0; i < inputs.length; i++) inputVersions[i] = inputs[i] == null ? 0 : inputs[i].storage().version();
    if (saved != null) {
      // Saved tensors (often the output, as for exp) are read by backward just like inputs.
      savedVersions = new int[saved.length];
      for (int i = 0; i < saved.length; i++) if (saved[i] instanceof Tensor t) savedVersions[i] = t.storage().version();
    }
    out.setGradFn(this);
    return out;
  }

  /** Saves extra objects (masks, indices, the output) that backward needs. Call before {@link #record}. */
  protected final void save(Object... objects) {
    this.saved = objects;
  }

  /** {@return saved object {@code i}} */
  @SuppressWarnings("unchecked")
  protected final <T> T saved(int i) {
    checkAlive();
    return (T) saved[i];
  }

  /** {@return input {@code i} of the recorded call} */
  protected final Tensor input(int i) {
    checkAlive();
    return inputs[i];
  }

  /** {@return whether the engine wants the gradient of input {@code i} (skip the work otherwise)} */
  protected final boolean needsGrad(int i) {
    return needsGrad == null || needsGrad[i];
  }

  /**
   * The backward rule.
   *
   * @param gradOutput gradient of the loss with respect to this function's output (same shape)
   * @return one gradient per input, in the input's shape or a shape that sums down to it by
   *     broadcasting; null where the input needs none
   */
  protected abstract Tensor[] backward(Tensor gradOutput);

  /**
   * Hands a gradient buffer over to the engine. A backward rule calls this on a result it has just
   * allocated (dense, offset 0) and keeps no other reference to, never on a view of its inputs,
   * of {@code gradOutput} (unless {@link #overwritable}) or of saved tensors. The engine may then
   * make the buffer a leaf's {@code grad} without copying it, or let the next backward rule
   * overwrite it in place; it takes the ownership back (and copies instead) whenever the tensor
   * is shown to anyone else: a hook, {@code retainGrad}, or the result of {@link Autograd#grad}.
   *
   * @return {@code t}
   */
  protected static Tensor owned(Tensor t) {
    if (t.isDenseBuffer()) t.engineOwned(true);
    return t;
  }

  /**
   * @return whether {@code gradOutput} is an engine-owned buffer (see {@link #owned}) that only
   *     this backward call sees, so that the rule may overwrite it in place and return it
   */
  protected static boolean overwritable(Tensor gradOutput) {
    return gradOutput.engineOwned() && gradOutput.isDenseBuffer();
  }

  /** {@return a short name used in error messages and graph dumps, e.g. "mul"} */
  public String name() {
    return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- engine side -------------------------------------------------------------------------

  Tensor[] inputs() {
    checkAlive();
    return inputs;
  }

  boolean isReleased() {
    return released;
  }

  Tensor[] runBackward(Tensor gradOutput, boolean[] needs) {
    checkAlive();
    for (int i = 0; i < inputs.length; i++) {
      if (needs[i] && inputs[i].storage().version() != inputVersions[i]) {
        throw new IllegalStateException(
            name() + ": input " + i + " of shape " + Shape.str(inputs[i].shape())
                + " was modified in place after it was used; its gradient would be wrong. Clone it before modifying.");
      }
    }
    for (int i = 0; saved != null && savedVersions != null && i < saved.length; i++) {
      if (saved[i] instanceof Tensor t && t.storage().version() != savedVersions[i]) {
        throw new IllegalStateException(
            name() + ": a tensor of shape " + Shape.str(t.shape())
                + " saved for backward was modified in place after it was saved; its gradient would be wrong. Clone it before modifying.");
      }
    }
    this.needsGrad = needs;
    try {
      Tensor[] g = backward(gradOutput);
      if (g.length != inputs.length) {
        throw new IllegalStateException(name() + ".backward returned " + g.length + " gradients for " + inputs.length + " inputs");
      }
      return g;
    } finally {
      this.needsGrad = null;
    }
  }

  void release() {
    inputs = null;
    saved = null;
    savedVersions = null;
    released = true;
  }

  private void checkAlive() {
    if (released) {
      throw new IllegalStateException(
          "the graph behind '" + name() + "' was freed by an earlier backward(); call backward(seed, true) to keep it");
    }
  }

  @Override
  public String toString() {
    return name() + (inputs == null ? "" : Arrays.toString(Arrays.stream(inputs).map(t -> t == null ? "-" : Shape.str(t.shape())).toArray()));
  }
}
