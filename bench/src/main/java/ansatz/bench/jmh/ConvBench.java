package ansatz.bench.jmh;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
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
 * The small CNN's convolutions at batch 64: conv1 (1-&gt;32, 3x3, pad 1, 28x28) and conv2
 * (32-&gt;64, 3x3, pad 1, stride 2, 28x28 -&gt; 14x14), forward alone and forward + backward (as in
 * training: conv1's input needs no gradient, conv2's does). Backward = the difference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dansatz.threads=2"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBench {
  private static final int BATCH = 64;
  private Conv2d conv1;
  private Conv2d conv2;
  private Tensor x1;
  private Tensor x2;
  private Tensor seed1;
  private Tensor seed2;

  @Setup
  public void setup() {
    Rng rng = new Rng(0);
    conv1 = new Conv2d(1, 32, 3, 1, 1, true, rng);
    conv2 = new Conv2d(32, 64, 3, 2, 1, true, rng);
    x1 = Tensor.uniform(rng, 0, 1, BATCH, 1, 28, 28);
    x2 = Tensor.uniform(rng, 0, 1, BATCH, 32, 28, 28).requiresGrad(true);
    seed1 = Tensor.randn(rng, BATCH, 32, 28, 28);
    seed2 = Tensor.randn(rng, BATCH, 64, 14, 14);
  }

  @Benchmark
  public Object conv1Forward() {
    return conv1.call(x1.detach());
  }

  @Benchmark
  public Object conv1ForwardBackward() {
    conv1.zeroGrad();
    conv1.call(x1).backward(seed1);
    return conv1.weight().grad();
  }

  @Benchmark
  public Object conv2Forward() {
    return conv2.call(x2.detach());
  }

  @Benchmark
  public Object conv2ForwardBackward() {
    conv2.zeroGrad();
    x2.zeroGrad();
    conv2.call(x2).backward(seed2);
    return x2.grad();
  }
}
