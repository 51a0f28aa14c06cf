package ansatz.nn;

import ansatz.autograd.Tensor;
import java.util.List;

/**
 * The full backward hooks of one module call, PyTorch's {@code BackwardHook} in miniature.
 *
 * <p>The input is routed through {@link PassThrough} (or, when it does not require grad, replaced
 * by a fresh leaf alias on the same storage, so that its gradient still gets computed and can be
 * observed: this is what lets the AGOP probes see d loss / d x at the first layer). The output is
 * routed through {@link PassThrough} too. A tensor hook on the output node records d loss / d output;
 * the engine visits it first (topological order). A tensor hook on the input node runs the user
 * hooks once d loss / d input is complete, and returns their replacement, which is what then flows
 * to earlier layers.
 *
 * <p>Consequences worth knowing: the hooks run only if backward actually computes the input's
 * gradient (a {@code loss.backward()} always does; an {@code Autograd.grad} call with respect to
 * tensors that do not lie behind this module's input does not, as in PyTorch). If no gradient
 * reached the output (it was not used by the loss) the hook receives {@code gradOutput == null}.
 */
final class BackwardHookCall {
  private final Module module;
  private final List<BackwardHook> hooks;
  private Tensor gradOutput;

  BackwardHookCall(Module module, List<BackwardHook> hooks) {
    this.module = module;
    this.hooks = hooks;
  }

  Tensor wrapInput(Tensor x) {
    Tensor in = x.requiresGrad()
        ? PassThrough.apply(x)
        : Tensor.view(x.storage(), x.shape(), x.strides(), x.offset()).requiresGrad(true);
    in.registerHook(this::runUserHooks);
    return in;
  }

  Tensor wrapOutput(Tensor y) {
    if (!y.requiresGrad()) return y; // no gradient will ever flow back through this call
    Tensor out = PassThrough.apply(y);
    out.registerHook(g -> {
      gradOutput = g;
      return null;
    });
    return out;
  }

  private Tensor runUserHooks(Tensor gradInput) {
    Tensor g = gradInput;
    for (BackwardHook h : hooks) {
      Tensor r = h.apply(module, g, gradOutput);
      if (r != null) g = r;
    }
    return g == gradInput ? null : g;
  }
}
