package ansatz.bench.jmh;

import ansatz.bench.MlpWorkloads;
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

/** The MLP workloads of the side-by-side benchmark: one SGD step (CE, MSE) and batch-1024 inference. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MlpStepBench {
  private Step trainCe;
  private Step trainMse;
  private Step infer;

  @Setup
  public void setup() {
    trainCe = MlpWorkloads.train(MlpWorkloads.LossKind.CE).prepare();
    trainMse = MlpWorkloads.train(MlpWorkloads.LossKind.MSE).prepare();
    infer = MlpWorkloads.infer().prepare();
  }

  @Benchmark
  public Object trainStepCrossEntropy() {
    return trainCe.run();
  }

  @Benchmark
  public Object trainStepMse() {
    return trainMse.run();
  }

  @Benchmark
  public Object inferBatch1024() {
    return infer.run();
  }
}
