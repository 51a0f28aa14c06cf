/**
 * Layer AGOPs and pre-activation tangent features (DEFINITIONS.md sections 1, 3 and 5).
 *
 * <ul>
 *   <li>{@link ansatz.instrument.agop.ChainRuleAgop}: the default computation. One forward pass
 *       per mini-batch with forward hooks on the probed layers, then one {@code Autograd.grad}
 *       per network output with respect to every layer's pre-activation at once; K_l = (1/n) sum
 *       g g^T streams into O(d^2) memory and AGOP_l = scale^2 W^T K_l W. Dense layers give the AGOP
 *       w.r.t. the layer input, conv layers the patch AGOP. Options: gradient centering, the
 *       sample-space Gram of the tangent features.
 *   <li>{@link ansatz.instrument.agop.DirectAgop}: the independent check, sample by sample, from
 *       Jacobians w.r.t. the layer inputs (conv: w.r.t. the im2col columns).
 *   <li>{@link ansatz.instrument.agop.PredictorAgop}: the AGOP of any differentiable predictor
 *       (a model, or a data set's true predictor) w.r.t. its input.
 *   <li>{@link ansatz.instrument.agop.ProbedLayer}: which modules can be probed (Linear, Conv2d),
 *       selected by dotted name with errors that list the available layers.
 * </ul>
 */
package ansatz.instrument.agop;
