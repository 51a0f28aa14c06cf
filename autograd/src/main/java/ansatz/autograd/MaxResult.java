package ansatz.autograd;

/**
 * What {@link Tensor#maxWithIndex} returns, as {@code torch.max(x, dim)} does: the maxima and where
 * they are along the reduced axis.
 *
 * @param values the maxima (differentiable: the gradient goes to the first maximum), with the
 *     reduced axis removed or kept with size 1
 * @param indices the position of each maximum along the reduced axis, in row-major order over the
 *     other axes
 */
public record MaxResult(Tensor values, int[] indices) {}
