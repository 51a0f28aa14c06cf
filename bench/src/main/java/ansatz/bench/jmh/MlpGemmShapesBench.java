package ansatz.bench.jmh;

import ansatz.bench.GemmWorkloads;
import ansatz.bench.Step;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMMs of one MLP training step (784-1024-1024-10, batch 128), with the transpose flags
 * Ansatz's matmul passes: forward z = x W^T (NT), input gradient dX = dZ W (NN), weight gradient
 * dW = dZ^T X (TN). Shape names read layer_pass_MxKxN (C is M x N, inner dimension K).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MlpGemmShapesBench {
  @Param({"fc1_fwd_NT_128x784x1024", "fc1_dW_TN_1024x128x784", "fc1_dX_NN_128x1024x784",
      "fc2_fwd_NT_128x1024x1024", "fc2_dW_TN_1024x128x1024", "fc2_dX_NN_128x1024x1024",
      "fc3_fwd_NT_128x1024x10", "fc3_dW_TN_10x128x1024", "fc3_dX_NN_128x10x1024"})
  public String shape;

  private Step step;

  @Setup
  public void setup() {
    String[] p = shape.split("_");
    String flags = p[2];
    String[] mkn = p[3].split("x");
    int m = Integer.parseInt(mkn[0]), k = Integer.parseInt(mkn[1]), n = Integer.parseInt(mkn[2]);
    step = GemmWorkloads.product(flags.charAt(0) == 'T', flags.charAt(1) == 'T', m, n, k, 0);
  }

  @Benchmark
  public Object gemm() {
    return step.run();
  }
}
