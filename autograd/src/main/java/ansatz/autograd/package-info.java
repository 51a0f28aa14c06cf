/**
 * Tensors and reverse-mode automatic differentiation.
 *
 * <ul>
 *   <li>{@link ansatz.autograd.Tensor}: float32 or float64 ({@link ansatz.autograd.DType}) strided
 *       views over a {@link ansatz.autograd.Storage}; creation, views, NumPy broadcasting, pointwise
 *       and reduction ops, matmul, and {@code backward()}.
 *   <li>{@link ansatz.autograd.Autograd}: the engine, including {@code Autograd.grad} for gradients
 *       with respect to any tensor (intermediate ones too).
 *   <li>{@link ansatz.autograd.Function}: the base of every differentiable primitive, forward and
 *       backward side by side.
 *   <li>{@link ansatz.autograd.Grad}: the per-thread no-grad scope; {@link ansatz.autograd.HookHandle}:
 *       removes a hook; {@link ansatz.autograd.Rng}: the seeded, splittable generator.
 * </ul>
 */
package ansatz.autograd;
