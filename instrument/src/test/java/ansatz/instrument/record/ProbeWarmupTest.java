package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.junit.jupiter.api.Test;

class ProbeWarmupTest {
  @Test
  void startsOneBackgroundThreadPerJvmThatFinishes() throws Exception {
    ProbeWarmup.startInBackground();
    ProbeWarmup.startInBackground();
    long alive = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ansatz-probe-warmup")).count();
    assertTrue(alive <= 1, alive + " warm-up threads");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ansatz-probe-warmup")) t.join(60_000);
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ansatz-probe-warmup")), "the warm-up ended");
  }

  @Test
  void theWorkTakesASquareRootWhoseSquareHasTheCovariancesTrace() {
    // ||C^{1/2}||_F^2 = tr(C) = ||B||_F^2 for C = B^T B: a wrong root (or none) fails this. The
    // second repetition's B is the generator's second matrix.
    Rng rng = new Rng(0x5eed);
    Tensor.randn(rng, DType.FLOAT64, 256, 256);
    double want = Tensor.randn(rng, DType.FLOAT64, 256, 256).square().sum().item();
    assertEquals(want, ProbeWarmup.run(), 1e-9 * want);
  }
}
