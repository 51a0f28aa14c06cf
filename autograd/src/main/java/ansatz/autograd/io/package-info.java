/**
 * Files: NumPy {@code .npy} arrays ({@link ansatz.autograd.io.Npy}), {@code .npz} archives
 * ({@link ansatz.autograd.io.Npz}) and crash-safe writing ({@link ansatz.autograd.io.AtomicFiles}).
 * Arrays read from disk are plain {@link ansatz.autograd.io.NdArray}s (float32, float64, int32 or
 * int64) that convert to and from tensors.
 */
package ansatz.autograd.io;
