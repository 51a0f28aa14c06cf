package ansatz.bench.jmh;

import ansatz.bench.AgopWorkloads;
import ansatz.bench.Step;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MLP's per-layer AGOPs (input, h1, h2) over 2000 samples ({@code agop_mlp}) and the small
 * CNN's first-layer patch AGOP over 500 images ({@code patch_agop_cnn}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class AgopBench {
  private Step mlp;
  private Step patch;

  @Setup
  public void setup() {
    mlp = AgopWorkloads.agopMlp().prepare();
    patch = AgopWorkloads.patchAgopCnn().prepare();
  }

  @Benchmark
  public Object cnnPatchAgop() {
    return patch.run();
  }

  @Benchmark
  public Object mlpAgops() {
    return mlp.run();
  }
}
