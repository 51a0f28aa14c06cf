package ansatz.nn;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.HookHandle;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.loss.MSELoss;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookTest {
  /** Doubles its input and logs that forward ran. */
  private static final class Doubler extends Module {
    final List<String> log;

    Doubler(List<String> log) {
      this.log = log;
    }

    @Override
    protected Tensor forward(Tensor x) {
      log.add("forward");
      return x.mul(2);
    }
  }

  @Test
  void forwardHooksRunInDocumentedOrderAndMayReplace() {
    List<String> log = new ArrayList<>();
    Doubler m = new Doubler(log);
    m.registerForwardPreHook((mod, in) -> {
      log.add("pre1");
      return in.add(1);
    });
    m.registerForwardPreHook((mod, in) -> {
      log.add("pre2 sees " + in.item());
      return null;
    });
    m.registerForwardHook((mod, in, out) -> {
      log.add("fwd1 sees " + in.item() + " -> " + out.item());
      return out.mul(10);
    });
    m.registerForwardHook((mod, in, out) -> {
      assertSame(m, mod);
      log.add("fwd2 sees " + out.item());
      return null;
    });
    Tensor y = m.call(Tensor.scalar(3));
    assertEquals(80, y.item());
    assertEquals(List.of("pre1", "pre2 sees 4.0", "forward", "fwd1 sees 4.0 -> 8.0", "fwd2 sees 80.0"), log);
  }

  @Test
  void closedHooksStopRunning() {
    List<String> log = new ArrayList<>();
    Doubler m = new Doubler(log);
    HookHandle pre = m.registerForwardPreHook((mod, in) -> {
      log.add("pre");
      return null;
    });
    HookHandle fwd = m.registerForwardHook((mod, in, out) -> {
      log.add("fwd");
      return null;
    });
    m.call(Tensor.scalar(1));
    pre.close();
    pre.close(); // harmless
    m.call(Tensor.scalar(1));
    fwd.close();
    m.call(Tensor.scalar(1));
    assertEquals(List.of("pre", "forward", "fwd", "forward", "fwd", "forward"), log);
  }

  @Test
  void aHookMayRemoveItselfWhileRunning() {
    List<String> log = new ArrayList<>();
    Doubler m = new Doubler(log);
    HookHandle[] self = new HookHandle[1];
    self[0] = m.registerForwardHook((mod, in, out) -> {
      log.add("once");
      self[0].close();
      return null;
    });
    m.call(Tensor.scalar(1));
    m.call(Tensor.scalar(1));
    assertEquals(List.of("forward", "once", "forward"), log);
  }

  @Test
  void sameLambdaTwiceRunsTwiceAndEachHandleRemovesOne() {
    List<String> log = new ArrayList<>();
    Doubler m = new Doubler(log);
    ForwardPreHook h = (mod, in) -> {
      log.add("h");
      return null;
    };
    HookHandle a = m.registerForwardPreHook(h);
    m.registerForwardPreHook(h);
    m.call(Tensor.scalar(1));
    a.close();
    m.call(Tensor.scalar(1));
    assertEquals(List.of("h", "h", "forward", "h", "forward"), log);
  }

  @Test
  void containerHooksWrapTheChildrensHooks() {
    List<String> log = new ArrayList<>();
    Sequential s = new Sequential(new Identity(), new Tanh());
    for (var e : s.namedModules().entrySet()) {
      String name = e.getKey().isEmpty() ? "seq" : e.getKey();
      e.getValue().registerForwardPreHook((m, in) -> {
        log.add("pre " + name);
        return null;
      });
      e.getValue().registerForwardHook((m, in, out) -> {
        log.add("fwd " + name);
        return null;
      });
    }
    s.call(Tensor.zeros(2));
    assertEquals(List.of("pre seq", "pre 0", "fwd 0", "pre 1", "fwd 1", "fwd seq"), log);
  }

  @Test
  void forwardHookOnLinearSeesLayerInputAndPreActivation() {
    Sequential mlp = Models.mlp(new int[] {4, 5, 3}, Activation.RELU, true, new Rng(2));
    Linear second = (Linear) mlp.get(2);
    Tensor[] seen = new Tensor[2];
    second.registerForwardHook((m, in, out) -> {
      seen[0] = in;
      seen[1] = out;
      return null;
    });
    Tensor x = Tensor.randn(new Rng(5), 6, 4);
    Tensor y = mlp.call(x);
    Tensor h = mlp.get(1).call(mlp.get(0).call(x));
    assertClose(h, seen[0], 0, "h_2 = relu(z_1)");
    assertClose(h.matmul(second.weight().tensor().t()).add(second.bias().tensor()), seen[1], 1e-6, "z_2");
    assertClose(y, seen[1], 0, "the last pre-activation is the output");
  }

  /** A float64 3-layer tanh MLP with biases. */
  private static Sequential mlp64(long seed) {
    return (Sequential) Models.mlp(new int[] {4, 6, 5, 3}, Activation.TANH, true, new Rng(seed)).to(DType.FLOAT64);
  }

  @Test
  void fullBackwardHookValuesEqualFunctionalGradients() {
    Rng rng = new Rng(11);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 7, 4); // does not require grad
    Tensor y = Tensor.randn(rng, DType.FLOAT64, 7, 3);
    Sequential hooked = mlp64(1);
    List<Linear> layers = Models.linearLayers(hooked);
    Tensor[] gradIn = new Tensor[3], gradOut = new Tensor[3];
    List<Integer> order = new ArrayList<>();
    for (int l = 0; l < 3; l++) {
      int layer = l;
      layers.get(l).registerFullBackwardHook((m, gi, go) -> {
        order.add(layer);
        gradIn[layer] = gi;
        gradOut[layer] = go;
        return null;
      });
    }
    MSELoss.mean().apply(hooked.call(x), y).backward();
    assertEquals(List.of(2, 1, 0), order, "backward hooks run from the output towards the input");

    // Reference: same weights, no backward hooks; capture h_l and z_l and ask Autograd.grad.
    Sequential plain = mlp64(2);
    plain.loadStateDict(hooked.stateDict());
    Tensor xr = x.copyData().requiresGrad(true);
    Tensor[] h = new Tensor[3], z = new Tensor[3];
    List<Linear> plainLayers = Models.linearLayers(plain);
    for (int l = 0; l < 3; l++) {
      int layer = l;
      plainLayers.get(l).registerForwardHook((m, in, out) -> {
        h[layer] = in;
        z[layer] = out;
        return null;
      });
    }
    Tensor loss = MSELoss.mean().apply(plain.call(xr), y);
    Tensor[] wrt = {h[0], h[1], h[2], z[0], z[1], z[2]};
    Tensor[] g = Autograd.grad(new Tensor[] {loss}, wrt, null, false);
    assertSame(xr, h[0]);
    for (int l = 0; l < 3; l++) {
      assertClose(g[l], gradIn[l], 1e-12, "d loss / d h_" + l);
      assertClose(g[3 + l], gradOut[l], 1e-12, "d loss / d z_" + l);
    }
    // Parameter gradients are unaffected by the observation.
    plain.zeroGrad();
    MSELoss.mean().apply(plain.call(x), y).backward();
    for (int l = 0; l < 3; l++) assertClose(plainLayers.get(l).weight().grad(), layers.get(l).weight().grad(), 1e-12, "dW_" + l);
  }

  @Test
  void backwardHooksChainReplacementsAndTheReplacementFlowsUpstream() {
    Rng rng = new Rng(12);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 5, 4);
    Sequential a = mlp64(3), b = mlp64(3);
    Linear lastA = Models.linearLayers(a).get(2);
    List<String> log = new ArrayList<>();
    Tensor[] secondSaw = new Tensor[1], firstSaw = new Tensor[1];
    lastA.registerFullBackwardHook((m, gi, go) -> {
      log.add("first");
      firstSaw[0] = gi;
      return gi.mul(3);
    });
    lastA.registerFullBackwardHook((m, gi, go) -> {
      log.add("second");
      secondSaw[0] = gi;
      return null;
    });
    a.call(x).sum().backward();
    b.call(x).sum().backward();
    assertEquals(List.of("first", "second"), log);
    assertClose(firstSaw[0].mul(3), secondSaw[0], 1e-15, "second hook sees the first's replacement");
    // Layers before the hooked one see 3x the gradient; the hooked layer's own weight gradient does not change.
    List<Linear> la = Models.linearLayers(a), lb = Models.linearLayers(b);
    assertClose(lb.get(2).weight().grad(), la.get(2).weight().grad(), 1e-12, "dW_2 unchanged");
    assertClose(lb.get(0).weight().grad().mul(3), la.get(0).weight().grad(), 1e-12, "dW_0 tripled");
    assertClose(lb.get(1).bias().grad().mul(3), la.get(1).bias().grad(), 1e-12, "db_1 tripled");
  }

  @Test
  void backwardHookOnAnActivationAndOnTheWholeModel() {
    Tensor x = Tensor.randn(new Rng(13), DType.FLOAT64, 3, 4).requiresGrad(true);
    Sequential m = mlp64(4);
    Module tanh = m.get(1);
    Tensor[] seen = new Tensor[4];
    tanh.registerFullBackwardHook((mod, gi, go) -> {
      seen[0] = gi;
      seen[1] = go;
      return null;
    });
    m.registerFullBackwardHook((mod, gi, go) -> {
      seen[2] = gi;
      seen[3] = go;
      return null;
    });
    Tensor seed = Tensor.randn(new Rng(14), DType.FLOAT64, 3, 3);
    Tensor out = m.call(x);
    out.backward(seed);
    assertClose(seed, seen[3], 0, "model gradOutput is the seed");
    assertClose(x.grad(), seen[2], 1e-15, "model gradInput is d/dx");
    // tanh: gradIn = gradOut * (1 - tanh(z)^2)
    Tensor z = m.get(0).call(x.detach());
    assertClose(seen[1].mul(z.tanh().square().rsub(1)), seen[0], 1e-12, "tanh backward");
  }

  @Test
  void removedBackwardHookIsNotCalledOnLaterCalls() {
    Sequential m = mlp64(5);
    int[] calls = {0};
    HookHandle h = m.get(0).registerFullBackwardHook((mod, gi, go) -> {
      calls[0]++;
      return null;
    });
    Tensor x = Tensor.randn(new Rng(1), DType.FLOAT64, 2, 4);
    m.call(x).sum().backward();
    h.close();
    m.call(x).sum().backward();
    assertEquals(1, calls[0]);
  }

  @Test
  void noBackwardSetUpWithGradDisabled() {
    Sequential m = mlp64(6);
    m.get(0).registerFullBackwardHook((mod, gi, go) -> fail("must not run"));
    try (var off = Grad.disabled()) {
      Tensor y = m.call(Tensor.randn(new Rng(1), DType.FLOAT64, 2, 4));
      assertFalse(y.requiresGrad());
    }
  }
}
