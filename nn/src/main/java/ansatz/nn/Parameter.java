package ansatz.nn;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;

/**
 * A learnable tensor owned by a {@link Module}: a small holder around a leaf {@link Tensor} that
 * requires grad.
 *
 * <p>Why a holder and not a {@code Tensor} subclass ({@code Tensor} is final) or a bare tensor: the
 * holder is a stable handle. {@link Module#to(DType)} swaps the tensor inside for a converted one,
 * and optimizers, hooks and instruments that kept the {@code Parameter} still see the new tensor,
 * just as a PyTorch {@code nn.Parameter} survives {@code model.double()}. Its name is not stored
 * here: the dotted name ({@code layers.0.weight}) depends on where the owning module sits, so it
 * comes from {@link Module#namedParameters()}.
 *
 * <pre>{@code
 * Tensor z = x.matmul(weight.tensor().t());   // use it in forward
 * weight.grad();                              // d loss / d weight after backward
 * }</pre>
 */
public final class Parameter {
  private Tensor tensor;

  /**
   * Wraps {@code value} as a parameter. The tensor must be a leaf (not produced by a recorded op);
   * it is marked {@code requiresGrad(true)}.
   */
  public Parameter(Tensor value) {
    this.tensor = checkLeaf(value);
  }

  private static Tensor checkLeaf(Tensor value) {
    if (value == null) throw new IllegalArgumentException("Parameter: value is null");
    if (!value.isLeaf()) {
      throw new IllegalArgumentException("Parameter: the tensor of shape " + java.util.Arrays.toString(value.shape())
          + " was produced by an operation; pass a leaf (use detach() or copyData())");
    }
    return value.requiresGrad(true);
  }

  /** {@return the current leaf tensor (requires grad); use it in forward computations} */
  public Tensor tensor() {
    return tensor;
  }

  /** {@return the accumulated gradient, or null before the first backward / after zeroGrad} */
  public Tensor grad() {
    return tensor.grad();
  }

  /** Clears the gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
  public void zeroGrad() {
    tensor.zeroGrad();
  }

  /** {@return a copy of the shape} */
  public int[] shape() {
    return tensor.shape();
  }

  /** {@return number of scalars} */
  public int numel() {
    return tensor.numel();
  }

  /** {@return element type} */
  public DType dtype() {
    return tensor.dtype();
  }

  /**
   * Replaces the value with a converted copy (the gradient, if any, is converted too). Used by
   * {@link Module#to(DType)}; a no-op when the type already matches.
   */
  public void convertTo(DType dtype) {
    if (tensor.dtype() == dtype) return;
    Tensor g = tensor.grad();
    Tensor converted;
    try (Grad.Scope off = Grad.disabled()) {
      converted = tensor.to(dtype).detach().copyData();
    }
    converted.requiresGrad(true);
    if (g != null) {
      try (Grad.Scope off = Grad.disabled()) {
        converted.setGrad(g.to(dtype).copyData());
      }
    }
    this.tensor = converted;
  }

  @Override
  public String toString() {
    return "Parameter(" + tensor + ")";
  }
}
