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

/** Square float32 GEMM C = A B, N = 128 ... 2048 (GFLOP/s = 2 N^3 / time). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SgemmBench {
  @Param({"128", "256", "512", "1024", "2048"})
  public int n;

  private Step step;

  @Setup
  public void setup() {
    step = GemmWorkloads.product(false, false, n, n, n, 0);
  }

  @Benchmark
  public Object square() {
    return step.run();
  }
}
