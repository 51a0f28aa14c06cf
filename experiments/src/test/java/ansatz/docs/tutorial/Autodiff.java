package ansatz.docs.tutorial;

import ansatz.autograd.Autograd;
import ansatz.autograd.Grad;
import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Samples of docs/tutorial/02-autodiff.md; see AutodiffTest. */
final class Autodiff {
  private Autodiff() {}

  static Tensor[] firstBackward() {
    // region firstBackward
    Tensor x = Tensor.of(new float[] {1, 2, -1, 0.5f}, 2, 2);   // data: no gradient wanted
    Tensor w = Tensor.of(new float[] {1, -1, 0.5f, 2}, 2, 2)
        .requiresGrad(true);                                      // a leaf whose gradient we want
    Tensor z = x.matmul(w);                                       // recorded: z.gradFn() is a MatMul
    Tensor loss = z.relu().sum();                                 // recorded: Pointwise "relu", then Sum
    System.out.println("z = " + z + "\nloss = " + loss.item() + ", made by " + loss.gradFn());
    loss.backward();                                              // fills w.grad(); x gets nothing
    System.out.println("dloss/dw = " + w.grad() + "\nx.grad() = " + x.grad());
    // endregion firstBackward
    return new Tensor[] {x, w, z};
  }

  static Tensor[] broadcastGradient() {
    // region broadcastGradient
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor b = Tensor.zeros(2).requiresGrad(true);     // a bias of shape [2], broadcast over 3 rows
    Tensor y = x.add(b);                               // [3, 2]
    y.mul(y).sum().backward();                         // d/db sum (x + b)^2 = 2 (x + b), summed over rows
    System.out.println("b.grad() = " + b.grad());
    // The engine did the summing, with the one rule every op shares:
    Tensor perElement = x.mul(2);                      // d loss / d y, shape [3, 2]
    System.out.println("sumTo [2]: " + perElement.sumTo(new int[] {2}));
    // endregion broadcastGradient
    return new Tensor[] {b.grad(), perElement.sumTo(new int[] {2})};
  }

  static String savedForBackward() {
    // region savedForBackward
    Tensor a = Tensor.of(new float[] {0, 1}, 2).requiresGrad(true);
    Tensor e = a.exp();                  // exp saves its output: d exp(a) / da = exp(a)
    Tensor loss = e.sum();
    e.mulInPlace(10);                    // changes e behind the graph's back
    String message = null;
    try {
      loss.backward();
    } catch (IllegalStateException ex) {
      message = ex.getMessage();
    }
    System.out.println(message);
    // endregion savedForBackward
    return message;
  }

  static String retainGraph() {
    // region retainGraph
    Tensor a = Tensor.of(new float[] {3}, 1).requiresGrad(true);
    Tensor y = a.square().sum();                  // y = a^2, dy/da = 2a = 6
    y.backward(null, true);                       // keep the graph (and its saved tensors)
    y.backward();                                 // a second pass; gradients accumulate: 6 + 6
    System.out.println("a.grad() = " + a.grad());
    String message = null;
    try {
      y.backward();                               // the last call freed the graph
    } catch (IllegalStateException ex) {
      message = ex.getMessage();
    }
    System.out.println(message);
    // endregion retainGraph
    return message;
  }

  static Tensor[] functionalGrad() {
    // region functionalGrad
    Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
    Tensor w = Tensor.of(new float[] {1, 0, -1, 0.5f, 0.5f, 0}, 3, 2).requiresGrad(true);
    Tensor h = x.matmul(w);                        // an intermediate tensor, shape [1, 2]
    Tensor out = h.tanh().sum();
    Tensor[] g = Autograd.grad(new Tensor[] {out}, new Tensor[] {h, w}, null, false);
    System.out.println("d out / d h = " + g[0]);  // 1 - tanh(h)^2
    System.out.println("w.grad() is still " + w.grad() + ": Autograd.grad returns gradients, it does not store them");
    // endregion functionalGrad
    return new Tensor[] {h, g[0], g[1]};
  }

  static List<String> tensorHooks() {
    // region tensorHooks
    List<String> seen = new ArrayList<>();
    Tensor w = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
    Tensor h = w.mul(3);
    HookHandle watch = h.registerHook(g -> {       // sees d loss / d h once it is complete
      seen.add("h: " + g);
      return null;                                 // null: keep the gradient as it is
    });
    try (HookHandle clip = w.registerHook(g -> g.clamp(-4, 4))) {   // returns a replacement
      h.square().sum().backward();                 // d/dw (3w)^2 = 18 w = [18, 36], clipped to 4
      seen.add("w: " + w.grad());
    }                                              // clip is removed here, watch stays
    watch.close();
    seen.forEach(System.out::println);
    // endregion tensorHooks
    return seen;
  }

  static Tensor noGrad() {
    // region noGrad
    Tensor w = Tensor.ones(2).requiresGrad(true);
    Tensor y;
    try (Grad.Scope off = Grad.disabled()) {       // nothing recorded inside: evaluation, updates
      y = w.mul(2);
      w.addInPlace(Tensor.ones(2), -0.1);          // in-place change of a leaf: allowed only here
    }
    System.out.println("y requires grad: " + y.requiresGrad() + ", w = " + w);
    // endregion noGrad
    return y;
  }
}
