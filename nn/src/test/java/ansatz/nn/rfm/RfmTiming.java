package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;

/**
 * Not a unit test: times RFM at MNIST-like size (n = 5000, d = 784, 10 outputs, 3 iterations,
 * random data) and the main stages of one iteration. Run from nn/ after {@code test-compile}:
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:&lt;deps&gt; ansatz.nn.rfm.RfmTiming [n d c iters float32|float64]
 * </pre>
 */
public final class RfmTiming {
  private RfmTiming() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 784;
    int c = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int iters = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    DType type = args.length > 4 && args[4].equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
    Rng rng = new Rng(0);
    Tensor x = Tensor.uniform(rng, 0, 1, type, n, d);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
    Tensor y = Tensor.oneHot(labels, c, DType.FLOAT64);
    System.out.printf("RFM n=%d d=%d c=%d iterations=%d %s, %d processors%n", n, d, c, iters, type, Runtime.getRuntime().availableProcessors());

    long t0 = System.nanoTime();
    RfmResult r = Rfm.fit(x, y, RfmOptions.defaults().withIterations(iters).withClassification(true));
    double total = (System.nanoTime() - t0) * 1e-9;
    for (RfmIteration it : r.iterations()) {
      System.out.printf("  fit %d: %.2f s (train mse %.3e)%n", it.iteration(), it.seconds(), it.train().mse());
    }
    System.out.printf("total %.2f s wall, %.2f s process CPU (load average %.1f: on a busy machine the wall time overstates)%n",
        total, cpuSeconds(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // Stage breakdown of one iteration with M = the learned metric.
    Rows xr = Rows.of(x);
    Rows yr = Rows.of(y);
    Metric m = Metric.trusted(d, r.metric().toDoubleArray());
    Kernel kernel = Kernel.laplace(10);
    long s0 = System.nanoTime();
    KernelBlocks blocks = new KernelBlocks(kernel, xr, xr, m);
    double[] k = KernelRidge.lowerKernelMatrix(blocks);
    long s1 = System.nanoTime();
    for (int i = 0; i < n; i++) k[i * n + i] += 1e-3;
    Cholesky.factor(k, n);
    long s2 = System.nanoTime();
    double[] alpha = yr.toDoubles();
    Cholesky.solve(k, n, alpha, c);
    long s3 = System.nanoTime();
    KernelPredictor f = new KernelPredictor(kernel, xr, m, alpha, c, blocks.rowNorms());
    KernelGradients.agop(f, Rfm.subsample(xr, 2000, new Rng(1)), false, false);
    long s4 = System.nanoTime();
    System.out.printf("process CPU so far %.2f s%n", cpuSeconds());
    System.out.printf("stages: kernel matrix (lower half) %.2f s, Cholesky %.2f s, solve %.2f s, AGOP on 2000 points %.2f s%n",
        (s1 - s0) * 1e-9, (s2 - s1) * 1e-9, (s3 - s2) * 1e-9, (s4 - s3) * 1e-9);
  }

  /** @return CPU time used by this JVM so far (all threads, including JIT and GC) */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() * 1e-9;
  }
}
