package ansatz.nn.optim;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Tensor;
import ansatz.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void closedForms() {
    assertEquals(0.3, Schedule.constant().lr(0.3, 1000));
    Schedule step = Schedule.step(10, 0.5);
    assertEquals(1.0, step.lr(1, 9));
    assertEquals(0.5, step.lr(1, 10));
    assertEquals(0.25, step.lr(1, 25));
    Schedule cos = Schedule.cosine(100, 0.1);
    assertEquals(1.0, cos.lr(1, 0), 1e-15);
    assertEquals(0.55, cos.lr(1, 50), 1e-15);
    assertEquals(0.1, cos.lr(1, 100), 1e-15);
    assertEquals(0.1, cos.lr(1, 150), 1e-15);
    Schedule warm = Schedule.step(10, 0.5).withWarmup(4);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1, 0.5}, new double[] {warm.lr(1, 0), warm.lr(1, 1), warm.lr(1, 2), warm.lr(1, 3), warm.lr(1, 4), warm.lr(1, 14)}, 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Schedule.step(0, 0.5));
  }

  @Test
  void schedulerSetsEveryGroupFromItsOwnBase() {
    Parameter p = new Parameter(Tensor.zeros(1)), q = new Parameter(Tensor.zeros(1));
    SGD opt = new SGD(List.of(new ParamGroup("a", List.of(p), 1), new ParamGroup("b", List.of(q), 0.1)));
    LrScheduler s = new LrScheduler(opt, Schedule.step(2, 0.1).withWarmup(2));
    assertEquals(0.5, opt.paramGroups().get(0).lr(), 1e-15);
    assertEquals(0.05, opt.paramGroups().get(1).lr(), 1e-15);
    s.step();
    s.step();
    s.step();
    s.step();
    assertEquals(4, s.time());
    assertEquals(0.1, opt.paramGroups().get(0).lr(), 1e-15);
    assertEquals(0.01, opt.paramGroups().get(1).lr(), 1e-15);
    s.setTime(2);
    assertEquals(1, opt.paramGroups().get(0).lr(), 1e-15);
  }
}
