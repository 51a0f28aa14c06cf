package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.KernelThreads;
import ansatz.autograd.kernel.Parallel;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.optim.SGD;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loss curve and the weights do not depend on the number of kernel threads (bitwise). */
class ThreadDeterminismTest {
  private final int before = Parallel.threads();

  @AfterEach
  void restore() {
    KernelThreads.set(before);
  }

  /** Layers of 256 and batches of 64: products large enough that the GEMM splits them across threads. */
  private static TrainResult run(int threads, Module[] modelOut) throws Exception {
    KernelThreads.set(threads);
    Split data = Synthetic.builder("quadrant").d(32).n(256).nTest(64).seed(9).build();
    Module model = Models.mlp(new int[] {32, 256, 256, 4}, Activation.RELU, true, new Rng(21));
    modelOut[0] = model;
    return Trainer.builder().model(model).loss(new CrossEntropyLoss())
        .optimizer(new SGD(model.parameters(), 0.05).momentum(0.9))
        .train(new DataLoader(data.train(), 64, true, false, new Rng(22)))
        .test(data.test()).epochs(2).build().run();
  }

  @Test
  void oneAndTwoThreadsGiveBitwiseTheSameRun() throws Exception {
    Module[] m1 = new Module[1], m2 = new Module[1];
    TrainResult one = run(1, m1);
    TrainResult two = run(2, m2);
    assertEquals(8, one.stepLosses().length);
    assertArrayEquals(one.stepLosses(), two.stepLosses(), "loss curves");
    assertEquals(one.finalMetrics(), two.finalMetrics());
    Map<String, Tensor> a = m1[0].stateDict(), b = m2[0].stateDict();
    for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
  }
}
