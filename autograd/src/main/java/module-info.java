/**
 * Tensors (float32/float64 strided views), NumPy broadcasting, reverse-mode autodiff with hooks,
 * {@code .npy/.npz} files and the compute kernels.
 *
 * <p>Exported API: {@link ansatz.autograd} (tensors, the engine, the no-grad scope, the seeded
 * RNG and {@link ansatz.autograd.Function}, the base of every primitive) and {@link
 * ansatz.autograd.io} (arrays on disk and atomic writes). The kernels need the incubating Vector
 * API, so on the class path a program runs with {@code --add-modules jdk.incubator.vector}; on
 * the module path this module's {@code requires} resolves it.
 */
// The qualified exports below name the sibling modules, which javac does not see while it
// compiles this one ("module not found" warnings); they exist in the same reactor.
@SuppressWarnings("module")
module ansatz.autograd {
  // Only ansatz.autograd.kernel imports it (the SIMD GEMM and its packing); Simd falls back to
  // the scalar twins when the module is absent, but a module-path run always resolves it.
  requires jdk.incubator.vector;

  // The user-facing API: Tensor, DType, Rng, Grad, Autograd, Function, HookHandle.
  exports ansatz.autograd;
  // Reading and writing .npy/.npz (snapshots, checkpoints, fixtures) is part of the API.
  exports ansatz.autograd.io;

  // ansatz.autograd.ops is NOT exported to users: one Function subclass per primitive, reached
  // through Tensor's methods; a user adds a primitive by subclassing the exported Function instead.
  // Only instrument sees it, for the convolution window geometry (Window2d) that its graph-free
  // AGOP sweep (FastChainRule) shares with the conv ops, so both agree on output sizes and padding.
  exports ansatz.autograd.ops to
      ansatz.instrument;

  // The GEMM entry point, the kernel thread pool and the SIMD switch are machinery that the other
  // Ansatz modules call directly (Cholesky, AGOP products, thread counts in logs and benchmarks);
  // their signatures follow the kernels, not an API promise, so they are shared only in-project.
  exports ansatz.autograd.kernel to
      ansatz.nn,
      ansatz.instrument,
      ansatz.experiments,
      ansatz.bench;
}
