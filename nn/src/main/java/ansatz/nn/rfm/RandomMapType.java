package ansatz.nn.rfm;

/** The untrained random feature maps Deep RFM can put between layers. */
public enum RandomMapType {
  /**
   * {@code phi(x) = ReLU(W x)}, W (width x d) i.i.d. N(0, 1/d): fan-in variance, so
   * {@code Var[(W x)_k] = ||x||^2 / d}. (The Deep RFM authors use PyTorch's default Linear init,
   * uniform with variance 1/(3d); ReLU is positively homogeneous, the next layer renormalizes the
   * rows and NC1/NC2 are scale invariant, so only the distribution's shape differs.)
   */
  RELU,
  /**
   * Random Fourier features of the Laplace kernel {@code exp(-||x - z||_2 / sigma)}:
   * {@code phi(x) = sqrt(2/D) cos(Omega x + b)}, b uniform in [0, 2 pi), rows of Omega
   * multivariate Cauchy with scale 1/sigma ({@code g / (sigma |u|)}, g ~ N(0, I_d), u ~ N(0, 1)),
   * the kernel's Fourier transform; so {@code E[phi(x) . phi(z)] = exp(-||x - z|| / sigma)}.
   */
  LAPLACE_FOURIER
}
