package ansatz.docs.tutorial;

import ansatz.autograd.HookHandle;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Samples of docs/tutorial/05-hooks.md; see HooksTest. */
final class Hooks {
  private Hooks() {}

  static List<String> order() {
    // region order
    Sequential net = Models.mlp(new int[] {3, 4, 2}, Activation.RELU, false, new Rng(0));
    Linear first = (Linear) net.get(0);                 // children "0" (Linear), "1" (ReLU), "2" (Linear)
    List<String> events = new ArrayList<>();
    HookHandle pre = first.registerForwardPreHook((m, x) -> {
      events.add("pre-hook:      input " + Arrays.toString(x.shape()));
      return null;                                      // null: keep the input
    });
    HookHandle post = first.registerForwardHook((m, h, z) -> {
      events.add("forward hook:  h " + Arrays.toString(h.shape()) + " -> z " + Arrays.toString(z.shape()));
      return null;                                      // null: keep the output
    });
    HookHandle back = first.registerFullBackwardHook((m, gradH, gradZ) -> {
      events.add("backward hook: dL/dh " + Arrays.toString(gradH.shape()) + ", dL/dz " + Arrays.toString(gradZ.shape()));
      return null;                                      // null: keep dL/dh
    });
    Tensor x = Tensor.randn(new Rng(1), 5, 3);          // a batch of 5 inputs; x does not require grad
    Tensor loss = net.call(x).square().sum();
    events.add("forward done");
    loss.backward();
    events.add("backward done");
    pre.close();                                        // close() removes a hook; closing twice is harmless
    post.close();
    back.close();
    net.call(x);                                        // no hook runs any more
    events.forEach(System.out::println);
    // endregion order
    return events;
  }

  static Tensor[] capture() {
    // region capture
    Sequential net = Models.mlp(new int[] {3, 4, 2}, Activation.RELU, false, new Rng(0));
    Linear second = (Linear) net.get(2);
    Tensor[] seen = new Tensor[2];                      // h (the layer input) and z (its pre-activation)
    try (HookHandle h = second.registerForwardHook((m, in, out) -> {
      seen[0] = in;
      seen[1] = out;
      return null;
    })) {
      net.call(Tensor.randn(new Rng(1), 5, 3));
    }                                                   // try-with-resources closes the handle
    Tensor recomputed = seen[0].matmul(second.weight().tensor().t());   // z = h W^T (no bias here)
    System.out.println("z == h W^T: " + Arrays.equals(seen[1].toFloatArray(), recomputed.toFloatArray()));
    // endregion capture
    return seen;
  }

  static Tensor[] replace() {
    // region replace
    Sequential net = Models.mlp(new int[] {3, 4, 2}, Activation.RELU, false, new Rng(0));
    Linear first = (Linear) net.get(0), second = (Linear) net.get(2);
    Tensor x = Tensor.randn(new Rng(1), 5, 3).requiresGrad(true);
    Tensor plain = net.call(x);
    Tensor y;
    // A pre-hook that doubles the second layer's input, and a backward hook on the first layer
    // that replaces the gradient flowing out of it (to x) by zeros.
    try (HookHandle doubling = second.registerForwardPreHook((m, h) -> h.mul(2));
         HookHandle stop = first.registerFullBackwardHook((m, gradH, gradZ) -> gradH.mul(0))) {
      y = net.call(x);
      y.sum().backward();
    }
    System.out.println("output doubled: " + Arrays.equals(y.toFloatArray(), plain.mul(2).toFloatArray()));
    System.out.println("max |dL/dx| = " + x.grad().abs().max().item()
        + ", first.weight has a gradient: " + (first.weight().grad() != null));
    // endregion replace
    return new Tensor[] {x.grad(), first.weight().grad(), y, plain};
  }
}
