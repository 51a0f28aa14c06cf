/**
 * Neural-network building blocks on top of {@code ansatz.autograd}, with PyTorch's semantics.
 *
 * <ul>
 *   <li>{@link ansatz.nn.Module}: named parameters, buffers and children in registration order,
 *       dotted names, state dicts, train/eval, {@code to(DType)}, and forward pre-, forward and full
 *       backward hooks. {@link ansatz.nn.Parameter} is the handle to a learnable leaf tensor.
 *   <li>Layers: {@link ansatz.nn.Linear} (standard or NTK {@link ansatz.nn.Parameterization}),
 *       {@link ansatz.nn.Flatten}, activations ({@link ansatz.nn.ReLU}, {@link ansatz.nn.LeakyReLU},
 *       {@link ansatz.nn.Tanh}, {@link ansatz.nn.Sigmoid}, {@link ansatz.nn.GELU},
 *       {@link ansatz.nn.Identity}) and {@link ansatz.nn.Sequential}; builders in {@link ansatz.nn.Models}.
 *       A forward hook on a {@code Linear} sees the layer input h_l and pre-activation z_l, which is
 *       what the AGOP/NFA probes read.
 *   <li>{@link ansatz.nn.init.Init}: PyTorch's initialization rules from an explicit {@code Rng}.
 *   <li>{@link ansatz.nn.loss}: MSE (mean, half-sum over the batch, sum) and cross-entropy.
 *   <li>{@link ansatz.nn.optim}: SGD as torch.optim.SGD, the alignment-boosting rule, schedules.
 * </ul>
 *
 * <p>Convolution: {@link ansatz.nn.Conv2d} (im2col + GEMM), {@link ansatz.nn.MaxPool2d},
 * {@link ansatz.nn.AvgPool2d}, and {@link ansatz.nn.Models#smallCnn}. Data lives in
 * {@code ansatz.nn.data}, the training loop in {@code ansatz.nn.train}.
 */
package ansatz.nn;
