/**
 * JMH benchmarks of the kernels and training steps, and the side-by-side comparison with PyTorch
 * ({@code ./ansatz bench}), which reports ratios measured in one run on one machine.
 */
package ansatz.bench;
