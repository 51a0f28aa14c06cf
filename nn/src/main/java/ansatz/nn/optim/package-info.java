/**
 * Optimizers and learning-rate schedules: {@link ansatz.nn.optim.SGD} (exactly torch.optim.SGD),
 * {@link ansatz.nn.optim.AlignmentBoostingSGD} (DEFINITIONS section 4), {@link ansatz.nn.optim.Schedule}
 * with {@link ansatz.nn.optim.LrScheduler}, and {@link ansatz.nn.optim.LearningRate} (absolute rates
 * only for now; rates in units of 2/lambda_0 need the instrument module). Updates run under
 * {@code Grad.disabled()} with in-place tensor methods.
 */
package ansatz.nn.optim;
