package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The global SIMD switch for all compute kernels.
 *
 * <p>{@link #ENABLED} is read once from the system property {@code ansatz.simd} (default
 * {@code true}). With {@code -Dansatz.simd=false} every kernel runs its scalar reference twin,
 * which is useful to rule out the Vector API when a result looks wrong, and to measure what
 * the vector code buys.
 *
 * <p>This package is the only place in the project allowed to import {@code jdk.incubator.vector}.
 */
public final class Simd {

  /** True when the Vector API kernels are used; false forces the scalar twins. */
  public static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("ansatz.simd", "true").trim())
          // Without --add-modules jdk.incubator.vector the vector classes cannot load at all.
          && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private Simd() {}

  /** Float lanes per vector the kernels use: the preferred species length, or 1 if disabled. */
  public static int floatLanes() {
    return ENABLED ? FloatVector.SPECIES_PREFERRED.length() : 1;
  }

  /** Double lanes per vector the kernels use: the preferred species length, or 1 if disabled. */
  public static int doubleLanes() {
    return ENABLED ? DoubleVector.SPECIES_PREFERRED.length() : 1;
  }

  /**
   * One line for logs, e.g. {@code "SIMD: Vector API, 256-bit (8 float lanes)"} or
   * {@code "SIMD: disabled (scalar kernels)"}.
   */
  public static String describe() {
    if (!ENABLED) {
      return "SIMD: disabled (scalar kernels)";
    }
    return "SIMD: Vector API, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit ("
        + floatLanes() + " float lanes)";
  }
}
