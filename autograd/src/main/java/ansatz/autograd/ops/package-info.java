/**
 * The differentiable primitives, one {@code Function} subclass per op with its forward and backward
 * side by side, plus the composite ops built from them. Internal (not exported by the module):
 * users reach these through {@code Tensor}'s methods.
 */
package ansatz.autograd.ops;
