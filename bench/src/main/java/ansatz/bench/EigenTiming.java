package ansatz.bench;

import ansatz.autograd.Tensor;
import ansatz.instrument.math.Matrices;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Times the symmetric eigendecomposition behind the probes' AGOP^{1/2}: EJML's (the library) and
 * Ansatz's own ({@link Matrices#symmetricEigen}), alternately on the same matrices, at the probe
 * sizes (784 and 1024 for the Fashion-MNIST MLP). Prints one markdown table row per size with the
 * median wall and process CPU seconds of each, and the largest eigenvalue difference. Run:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * ansatz.bench.EigenTiming [reps] [sizes...]} (bench/probe-overhead.sh does).
 *
 * <p>The matrix is an AGOP-like PSD matrix: X^T D X for a Gaussian X and a geometrically decaying
 * diagonal D (condition about 1e8), the spectrum shape the probes see.
 */
public final class EigenTiming {
  private EigenTiming() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {784, 1024};
    System.out.println("| n | EJML wall s | EJML CPU s | Ansatz wall s | Ansatz CPU s | wall ratio EJML/Ansatz | max eigenvalue diff / lambda_max |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int n : sizes) {
      double[] a = agopLike(n, new Random(n));
      // warm up both once (JIT), then alternate
      runEjml(a, n);
      runOurs(a, n);
      List<double[]> ejml = new ArrayList<>(), ours = new ArrayList<>();
      double diff = 0;
      for (int r = 0; r < reps; r++) {
        double[] t0 = clocks();
        double[] ve = runEjml(a, n);
        double[] t1 = clocks();
        double[] vo = runOurs(a, n);
        double[] t2 = clocks();
        ejml.add(new double[] {t1[0] - t0[0], t1[1] - t0[1]});
        ours.add(new double[] {t2[0] - t1[0], t2[1] - t1[1]});
        double max = Math.abs(vo[n - 1]);
        for (int i = 0; i < n; i++) diff = Math.max(diff, Math.abs(ve[i] - vo[i]) / max);
      }
      double ew = median(ejml, 0), ec = median(ejml, 1), ow = median(ours, 0), oc = median(ours, 1);
      System.out.printf(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.1e |%n", n, ew, ec, ow, oc, ew / ow, diff);
    }
    System.out.printf(Locale.ROOT, "(median of %d alternating runs each; CPU = process CPU time, threads = %d)%n", reps,
        ansatz.autograd.kernel.Parallel.threads());
  }

  /** @return X^T D X / n with X Gaussian n x n and D = diag(10^(-8 i / n)) */
  static double[] agopLike(int n, Random rnd) {
    double[] x = new double[n * n];
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
    double[] dx = new double[n * n];
    for (int i = 0; i < n; i++) {
      double s = Math.pow(10, -8.0 * i / n) / n;
      for (int j = 0; j < n; j++) dx[i * n + j] = s * x[i * n + j];
    }
    double[] out = new double[n * n];
    ansatz.autograd.kernel.Gemm.dgemm(true, false, n, n, n, 1.0, x, 0, n, dx, 0, n, 0.0, out, 0, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (out[i * n + j] + out[j * n + i]);
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
    return out;
  }

  /** @return the ascending eigenvalues from EJML (vectors computed too, as the probes need them) */
  private static double[] runEjml(double[] a, int n) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, a))) throw new IllegalStateException("EJML eig failed at n = " + n);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = eig.getEigenvalue(i).real;
    if (eig.getEigenVector(n - 1) == null) throw new IllegalStateException("EJML returned no vector");
    Arrays.sort(v);
    return v;
  }

  private static double[] runOurs(double[] a, int n) {
    Matrices.Eigen e = Matrices.symmetricEigen(Tensor.wrap(a.clone(), n, n));
    if (e.vectors().numel() != (long) n * n) throw new IllegalStateException("no vectors");
    return e.values();
  }

  /** @return {wall seconds, process CPU seconds} */
  private static double[] clocks() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new double[] {System.nanoTime() / 1e9, os.getProcessCpuTime() / 1e9};
  }

  private static double median(List<double[]> xs, int k) {
    double[] v = xs.stream().mapToDouble(x -> x[k]).sorted().toArray();
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
  }
}
