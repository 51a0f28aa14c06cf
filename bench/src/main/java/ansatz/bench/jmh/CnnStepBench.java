package ansatz.bench.jmh;

import ansatz.bench.CnnWorkloads;
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

/** One SGD step of the small CNN at batch 64 (the {@code cnn_train} workload). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CnnStepBench {
  private Step step;

  @Setup
  public void setup() {
    step = CnnWorkloads.train().prepare();
  }

  @Benchmark
  public Object trainStep() {
    return step.run();
  }
}
