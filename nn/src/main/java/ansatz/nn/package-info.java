/**
 * Neural-network building blocks on top of {@code ansatz.autograd}: modules (Linear, Conv2d, pooling,
 * activations, losses, Sequential), initialisation schemes (standard and NTK parameterisation),
 * optimizers (SGD and the alignment-boosting rule), datasets (IDX, synthetic tasks, CSV), the trainer
 * with listeners and checkpoints, and the kernel machines (RFM, Deep RFM, lin-RFM).
 */
package ansatz.nn;
