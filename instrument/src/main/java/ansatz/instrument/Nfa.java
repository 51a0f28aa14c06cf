package ansatz.instrument;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.math.Congruence;
import ansatz.instrument.math.Correlation;
import ansatz.instrument.math.Matrices;
import ansatz.instrument.math.Products;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Neural Feature Ansatz correlations of one layer (DEFINITIONS.md sections 2, 3 and 5), every
 * variant named:
 *
 * <ul>
 *   <li>{@value #NFA}: rho(NFM, AGOP^alpha) for rho in {pearson, cosine}, alpha in {1/2, 1},
 *       NFM = W^T W or the init-removed (W - W0)^T (W - W0); for a conv layer the NFM is the filter
 *       covariance and the AGOP the patch AGOP (the conv NFA);
 *   <li>{@value #UC_NFA}: rho(W^T W, W^T K W) (section 3; the correlations ignore scale, so for
 *       STANDARD layers this equals the alpha = 1 NFA);
 *   <li>{@value #C_NFA}: rho(dW^T dW, dW^T K dW), dW = W - W0, K from the current network;
 *   <li>{@value #WEIGHT_CHANGE}: ||dW||_F / ||W||_F.
 * </ul>
 *
 * Each comes for the uncentered AGOP and, when the {@link LayerAgop} has it, the gradient-centered
 * one. Values built from dW are NaN at initialization (dW = 0). Baselines are added by the caller
 * ({@link Measurement#withBaseline}) from a measurement at initialization.
 */
public final class Nfa {
  /** rho(NFM, AGOP^alpha) */
  public static final String NFA = "nfa";
  /** rho(W^T W, W^T K W) */
  public static final String UC_NFA = "uc_nfa";
  /** rho(dW^T dW, dW^T K dW) */
  public static final String C_NFA = "c_nfa";
  /** ||W - W0||_F / ||W||_F */
  public static final String WEIGHT_CHANGE = "weight_change";

  private static final double[] ALPHAS = {0.5, 1.0};

  private Nfa() {}

  /** How the matrices are handled; both give the same numbers to rounding. */
  public enum Route {
    /** FACTORED when the layer has fewer rows than columns, else DENSE */
    AUTO,
    /** form the cols x cols matrices and eigendecompose the AGOP */
    DENSE,
    /** never form cols x cols matrices: work in the rows x rows space ({@link Congruence}) */
    FACTORED
  }

  /**
   * @param agop the layer's AGOP and K (with the weight the forward used)
   * @param w0 the layer's weight matrix at initialization (same shape)
   * @return every variant of every quantity above, the default report (pearson, alpha 1/2) first;
   *     baselines NaN
   */
  public static List<Measurement> measure(LayerAgop agop, Tensor w0) {
    return measure(agop, w0, Route.AUTO);
  }

  /** {@link #measure(LayerAgop, Tensor)} by a chosen route (tests compare the two). */
  public static List<Measurement> measure(LayerAgop agop, Tensor w0, Route route) {
    return measureWithNfms(agop, w0, route).measurements();
  }

  /**
   * The measurements and, when the route formed them, the dense NFMs they used (so that a caller
   * who also stores the NFMs, as the probes' snapshots do, need not multiply them out again).
   *
   * @param nfm W^T W (cols x cols float64), null on the factored route
   * @param nfmInitRemoved (W - W0)^T (W - W0), null on the factored route
   */
  public record Result(List<Measurement> measurements, Tensor nfm, Tensor nfmInitRemoved) {}

  /** {@link #measure(LayerAgop, Tensor, Route)}, also handing back the dense NFMs (see {@link Result}). */
  public static Result measureWithNfms(LayerAgop agop, Tensor w0, Route route) {
    Stages s = stages(agop, w0, route);
    s.products();
    for (int i = 0; i < s.rootCount(); i++) s.root(i);
    return s.result();
  }

  /**
   * {@return one layer's work split into stages a caller can schedule across layers (see {@link Stages})}
   */
  public static Stages stages(LayerAgop agop, Tensor w0, Route route) {
    return new Stages(agop, w0, route);
  }

  /**
   * One layer's correlations in three stages: {@link #products()} forms the matrices by GEMMs
   * (which use every core themselves), {@link #root(int)} takes AGOP^{1/2} per centering (an
   * eigendecomposition, mostly one core: several layers' roots are best run side by side), and
   * {@link #result()} reads the correlations off. Run in that order; the numbers do not depend on
   * which thread runs which stage.
   */
  public static final class Stages {
    private final LayerAgop agop;
    private final Tensor w;
    private final Tensor w0;
    private final boolean factored;
    private final boolean[] centerings;
    private Tensor dw;
    private double dwNorm;
    private Side nfm;
    private Side nfmInitRemoved;
    private final Side[] roots;
    private final Side[] wkw;
    private final Side[] dwkdw;

    private Stages(LayerAgop agop, Tensor w0, Route route) {
      this.agop = agop;
      this.w = agop.weight();
      this.w0 = w0;
      this.factored = route == Route.FACTORED || (route == Route.AUTO && w.size(0) < w.size(1));
      this.centerings = agop.ptfKCentered() == null ? new boolean[] {false} : new boolean[] {false, true};
      this.roots = new Side[centerings.length];
      this.wkw = new Side[centerings.length];
      this.dwkdw = new Side[centerings.length];
    }

    /** Forms the NFMs, the AGOPs (W^T K W) and dW^T K dW: every {@link #productParts()} in turn. */
    public void products() {
      for (Part part : productParts()) part.body().run();
    }

    /**
     * {@link #products()} cut into parts that may run in any order and on any threads (each GEMM
     * runs on the kernels' threads, or on the calling thread alone if that is a {@link
     * ansatz.autograd.kernel.Parallel#serialThread}); all of them must have run before {@link
     * #result()}. Forms dW itself before it returns.
     */
    public List<Part> productParts() {
      dw = FeatureMatrix.difference(w, w0);
      dwNorm = Products.frobenius(dw);
      // At initialization dW = 0 exactly: its products are zero matrices, no need to multiply them out.
      boolean moved = dwNorm > 0;
      DType precision = agop.layer().dtype();
      double r = w.size(0), c = w.size(1);
      List<Part> parts = new ArrayList<>();
      if (factored) {
        // rows x rows work only: one small part
        parts.add(new Part(r * r * c * centerings.length, () -> {
          nfm = Side.of(Congruence.gram(w));
          nfmInitRemoved = Side.of(Congruence.gram(dw));
          for (int i = 0; i < centerings.length; i++) {
            Tensor k = agop.ptfK(centerings[i]);
            wkw[i] = Side.of(Congruence.of(w, k));
            dwkdw[i] = Side.of(Congruence.of(dw, k));
          }
        }));
        return parts;
      }
      parts.add(new Part(r * c * c / 2, () -> nfm = Side.of(Products.gram(w, precision))));
      parts.add(new Part(moved ? r * c * c / 2 : 0, () -> nfmInitRemoved = Side.of(moved ? Products.gram(dw, precision) : zeros(w.size(1)))));
      for (int i = 0; i < centerings.length; i++) {
        int ii = i;
        boolean gc = centerings[i];
        // W^T K W is the AGOP divided by scale^2, and correlations ignore scale: reuse the AGOP.
        wkw[i] = Side.of(agop.agop(gc));
        parts.add(new Part(moved ? r * r * c + r * c * c / 2 : 0,
            () -> dwkdw[ii] = Side.of(moved ? Products.congruence(dw, agop.ptfK(gc), 1, precision) : zeros(w.size(1)))));
      }
      return parts;
    }

    /** {@return how many roots {@link #root(int)} takes (one per centering)} */
    public int rootCount() {
      return centerings.length;
    }

    /**
     * {@return a rough cost of one {@link #root(int)} in the units of {@link Part#work()}
     *     (multiply-adds of a GEMM), for scheduling the largest first}
     */
    public double rootWork() {
      double r = w.size(0), c = w.size(1);
      // Measured on one core: a dense root of n = 1024 takes as long as about 4 n^3 GEMM multiply-adds
      // (the reduction to tridiagonal form is half matrix-vector work).
      return factored ? r * r * c : 4 * c * c * c;
    }

    /**
     * Takes AGOP^{1/2} for centering {@code i} (0: uncentered, 1: gradient-centered), with the GEMM
     * part of the decomposition in the layer's precision as for the AGOP itself.
     */
    public void root(int i) {
      boolean gc = centerings[i];
      roots[i] = factored
          ? Side.of(Congruence.power(scaledWeight(), agop.ptfK(gc), 0.5))
          : Side.of(Matrices.psdPower(agop.agop(gc), 0.5, agop.layer().dtype()));
    }

    /** {@return a rough cost of {@link #result()} (entries read), for scheduling the largest first} */
    public double resultWork() {
      double r = w.size(0), c = w.size(1);
      return factored ? r * r * c : c * c;
    }

    /** {@return every variant of every quantity (see {@link #measure(LayerAgop, Tensor)}), with the dense NFMs} */
    public Result result() {
      if (nfm == null || nfmInitRemoved == null) throw new IllegalStateException("Nfa.Stages: products() has not run");
      for (Side s : dwkdw) if (s == null) throw new IllegalStateException("Nfa.Stages: a part of products() has not run");
      String name = agop.layer().name();
      List<Measurement> out = new ArrayList<>();
      for (int i = 0; i < centerings.length; i++) {
        boolean gc = centerings[i];
        if (roots[i] == null) throw new IllegalStateException("Nfa.Stages: root(" + i + ") has not run");
        for (double alpha : ALPHAS) {
          Side power = alpha == 1 ? alphaOne(i, gc) : roots[i];
          for (boolean initRemoved : new boolean[] {false, true}) {
            Side m = initRemoved ? nfmInitRemoved : nfm;
            for (Correlation rho : Correlation.values()) {
              out.add(new Measurement(name, NFA, new NfaVariant(rho, alpha, initRemoved, gc), m.correlation(rho, power), Double.NaN));
            }
          }
        }
        for (Correlation rho : Correlation.values()) {
          out.add(new Measurement(name, UC_NFA, new NfaVariant(rho, 1, false, gc), nfm.correlation(rho, wkw[i]), Double.NaN));
          out.add(new Measurement(name, C_NFA, new NfaVariant(rho, 1, true, gc), nfmInitRemoved.correlation(rho, dwkdw[i]), Double.NaN));
        }
      }
      // ||dW|| / ||W|| from the dW products() formed (FeatureMatrix.relativeChange would form it again).
      out.add(new Measurement(name, WEIGHT_CHANGE, null, dwNorm / Products.frobenius(w), Double.NaN));
      return new Result(out, nfm.dense, nfmInitRemoved.dense);
    }

    /** The alpha = 1 AGOP side: the AGOP itself (dense), or scale^2 W^T K W factored. */
    private Side alphaOne(int i, boolean gc) {
      return factored ? Side.of(Congruence.power(scaledWeight(), agop.ptfK(gc), 1)) : wkw[i];
    }

    /** scale W, the weight the forward applies (W itself under the standard parameterization: no copy). */
    private Tensor scaledWeight() {
      double scale = agop.weightScale();
      return scale == 1 ? w : w.mul(scale).detach();
    }
  }

  /** {@return an n x n float64 zero matrix} */
  private static Tensor zeros(int n) {
    return Tensor.wrap(new double[n * n], n, n);
  }

  /**
   * One side of a correlation: a dense matrix or a factored one. It keeps what it has computed
   * against other sides (both correlations of a pair come from one pass, and the dense route
   * meets the same pair twice: alpha = 1 and UC-NFA), and a dense side summarizes its entries once.
   */
  private static final class Side {
    final Tensor dense;
    final Congruence factored;
    private Correlation.Entries entries;
    private final Map<Side, double[]> pairs = new IdentityHashMap<>();

    private Side(Tensor dense, Congruence factored) {
      this.dense = dense;
      this.factored = factored;
    }

    static Side of(Tensor t) {
      return new Side(t, null);
    }

    static Side of(Congruence c) {
      return new Side(null, c);
    }

    double correlation(Correlation rho, Side other) {
      return pairs.computeIfAbsent(other, this::both)[rho.ordinal()];
    }

    /** {@return both correlations with {@code other}, indexed by Correlation.ordinal()} */
    private double[] both(Side other) {
      if (dense != null) return Correlation.both(entries(), other.entries());
      double[] out = new double[Correlation.values().length];
      for (Correlation rho : Correlation.values()) out[rho.ordinal()] = factored.correlation(rho, other.factored);
      return out;
    }

    private Correlation.Entries entries() {
      if (entries == null) entries = Correlation.Entries.of(dense);
      return entries;
    }
  }

  /**
   * One independent piece of {@link Stages#products()}.
   *
   * @param work its rough cost in GEMM multiply-adds (0 when it only fills in zeros), for scheduling
   * @param body the work
   */
  public record Part(double work, Runnable body) {}
}
