package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.io.NdArray;
import ansatz.autograd.io.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Chains of ops checked against PyTorch (1.13, float64). The fixtures under
 * {@code resources/golden/ops/} are made by {@code src/test/python/golden_ops.py}; each holds a
 * chain's inputs, its forward outputs, random upstream gradients and the gradients of
 * {@code sum_k sum(out_k * upstream_k)} with respect to every input. Each chain below is the Java
 * twin of the Python case of the same name.
 *
 * <p>Tolerance: every element must satisfy {@code |got - want| <= tol * (|want| + max|want|)}, where
 * {@code max|want|} is the largest magnitude in that tensor -- relative error for the large elements
 * and error relative to the tensor's scale for the tiny ones (which are otherwise pure rounding
 * noise, e.g. a softmax gradient that sums to zero). {@code tol = 1e-10} in float64; in float32
 * (same inputs, which the script rounds to float32 precision) {@code tol = 1e-5}.
 */
class GoldenOpsTest {
  static final double TOL64 = 1e-10;
  static final double TOL32 = 1e-5;

  /** A chain of Ansatz ops; {@code c} gives the inputs (in the run's type) and the constants. */
  interface Chain {
    Tensor[] run(Case c);
  }

  /** One fixture's inputs during a run. */
  record Case(Map<String, Tensor> inputs, Map<String, NdArray> consts, DType dtype) {
    Tensor in(String name) {
      Tensor t = inputs.get(name);
      assertNotNull(t, "fixture has no in_" + name);
      return t;
    }

    /** A float constant (a mask) as a tensor of the run's type. */
    Tensor mask(String name) {
      return constant(name).toTensor().to(dtype);
    }

    /** An integer constant (labels, indices). */
    int[] ints(String name) {
      return constant(name).toIntArray();
    }

    private NdArray constant(String name) {
      NdArray a = consts.get(name);
      assertNotNull(a, "fixture has no const_" + name);
      return a;
    }
  }

  static final Map<String, Chain> CHAINS = new LinkedHashMap<>();

  static {
    CHAINS.put("mlp_nll", c -> {
      Tensor h = c.in("x").matmul(c.in("w1")).add(c.in("b1")).relu();
      Tensor logp = h.matmul(c.in("w2")).logSoftmax(1);
      int[] labels = c.ints("labels");
      int[] flat = new int[labels.length];
      for (int i = 0; i < labels.length; i++) flat[i] = i * 3 + labels[i];
      Tensor picked = logp.reshape(-1).indexSelect(0, flat).neg();
      return new Tensor[] {picked, picked.mean()};
    });
    CHAINS.put("unary_smooth", c -> {
      Tensor x = c.in("x"), y = c.in("y");
      Tensor a = x.tanh().mul(x.mul(2).sigmoid()).add(x.gelu());
      Tensor b = a.neg().mul(a).exp().add(y.add(x.abs()).log()).sub(y.mul(y).add(0.5).sqrt());
      return new Tensor[] {a, b, b.tanh().mul(3).sub(1).sigmoid().log()};
    });
    CHAINS.put("unary_kinks", c -> {
      Tensor x = c.in("x");
      return new Tensor[] {x.relu(), x.leakyRelu(0.1), x.abs(), x.clamp(-0.5, 0.75),
          x.leakyRelu(0.2).mul(2).sub(x.abs()).relu().clamp(0, 1)};
    });
    CHAINS.put("pow_chain", c -> {
      Tensor p = c.in("p"), z = c.in("z");
      return new Tensor[] {p.pow(0.5).add(p.pow(-1.5)).sub(p.pow(2.5)), z.pow(3).sub(z.pow(2).mul(0.5)).add(z.pow(1)),
          z.mul(z).add(p).pow(0.3).pow(2)};
    });
    CHAINS.put("broadcast_binary", c -> {
      Tensor a = c.in("a"), b = c.in("b"), cc = c.in("c"), d = c.in("d"), e = c.in("e");
      return new Tensor[] {a.add(b), a.sub(b), a.mul(b), a.div(cc), a.maximum(b), a.minimum(b), cc.pow(a),
          a.mul(d).sub(e).div(b.mul(b).add(1))};
    });
    CHAINS.put("where_mask", c -> {
      Tensor x = c.in("x"), y = c.in("y"), v = c.in("v");
      return new Tensor[] {Tensor.where(c.mask("mask"), x.mul(2), y.exp()), Tensor.where(x.gt(y), x, y.mul(v)),
          Tensor.where(c.mask("rowmask"), v, x.tanh())};
    });
    CHAINS.put("sum_mean_var", c -> {
      Tensor x = c.in("x");
      return new Tensor[] {x.sum(new int[] {0, 2}, true), x.sum(-1, false), x.sum(), x.mean(1, false),
          x.mean(new int[] {0, 1}, true), x.mean(), x.var(new int[] {0, 2}, true, 1), x.var(new int[] {1}, false, 1),
          x.var(new int[] {0, 1, 2}, false, 1), x.var(new int[] {2}, true, 0)};
    });
    CHAINS.put("layer_norm_chain", c -> {
      Tensor x = c.in("x");
      Tensor xhat = x.sub(x.mean(1, true)).div(x.var(new int[] {1}, true, 0).add(1e-5).sqrt());
      return new Tensor[] {xhat.mul(c.in("g")).add(c.in("b"))};
    });
    CHAINS.put("amax_ties", c -> {
      Tensor x = c.in("x");
      return new Tensor[] {x.max(new int[] {1, 2}, true), x.max(new int[] {0}, false), x.max(new int[] {0, 2}, false),
          x.max(), x.min(), x.neg().max(new int[] {0, 1}, false).neg(), x.maxWithIndex(1, false).values(),
          x.mul(x.sigmoid()).max(new int[] {-1}, false)};
    });
    CHAINS.put("softmax_large_close", c -> {
      Tensor z = c.in("z");
      return new Tensor[] {z.logSumExp(1, false), z.softmax(1), z.logSoftmax(1), z.logSumExp(1, true).sub(z.mean())};
    });
    CHAINS.put("softmax_large_spread", c -> {
      Tensor z = c.in("z");
      return new Tensor[] {z.logSumExp(1, false), z.softmax(1), z.logSoftmax(1), z.logSoftmax(0), z.softmax(0)};
    });
    CHAINS.put("matmul_batched", c -> {
      Tensor a = c.in("a"), b = c.in("b"), cc = c.in("c"), d = c.in("d"), v = c.in("v"), m = c.in("m");
      return new Tensor[] {a.matmul(b), cc.transpose(-1, -2).matmul(d), v.matmul(d), m.matmul(v), m.matmul(m.t()).matmul(m),
          cc.transpose(1, 2).matmul(cc)};
    });
    CHAINS.put("structure_chain", c -> {
      Tensor x = c.in("x"), w = c.in("w"), z = c.in("z"), u = c.in("u");
      Tensor a = x.permute(2, 0, 1);
      Tensor b = a.reshape(4, 6);
      Tensor cc = b.narrow(1, 1, 4);
      Tensor d = cc.indexSelect(0, c.ints("idx"));
      Tensor e = d.transpose(0, 1).mul(w.expand(4, 4));
      Tensor f = Tensor.concat(1, e, z.tanh(), x.reshape(4, 6).narrow(1, 2, 3));
      Tensor g = Tensor.stack(1, e, z, d);
      Tensor h = x.unsqueeze(1).expand(2, 5, 3, 4).reshape(10, 12).mul(u);
      Tensor k = x.select(1, 2).t().indexSelect(1, 1, 1, 0);
      return new Tensor[] {f, g, h, k};
    });
    CHAINS.put("onehot_mse", c -> {
      Tensor logits = c.in("x").matmul(c.in("w"));
      Tensor target = Tensor.oneHot(c.ints("labels"), 4, c.dtype());
      Tensor p = logits.softmax(1);
      return new Tensor[] {p.sub(target).pow(2).mean(), logits.sub(target).pow(2).mean(0, false)};
    });
  }

  // ===================================================================== running a fixture

  static Path fixtureDir() {
    try {
      var url = GoldenOpsTest.class.getResource("/golden/ops");
      assertNotNull(url, "missing test resources golden/ops (run golden_ops.py)");
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> fixtureNames() {
    try (Stream<Path> s = Files.list(fixtureDir())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyFixtureHasAChainAndEveryChainAFixture() {
    assertEquals(new TreeSet<>(CHAINS.keySet()), new TreeSet<>(fixtureNames()));
  }

  @TestFactory
  Stream<DynamicTest> float64MatchesPytorch() {
    return fixtureNames().stream().map(n -> DynamicTest.dynamicTest(n, () -> check(n, DType.FLOAT64, TOL64, true)));
  }

  @TestFactory
  Stream<DynamicTest> float32MatchesPytorch() {
    return fixtureNames().stream().map(n -> DynamicTest.dynamicTest(n, () -> check(n, DType.FLOAT32, TOL32, false)));
  }

  /**
   * Runs one chain and compares outputs and input gradients. {@code viaBackward} takes the gradients
   * with {@code loss.backward()} on the scalar {@code sum_k sum(out_k * upstream_k)}; otherwise with
   * {@link Autograd#grad} seeded by the upstreams -- so both paths of the engine are covered.
   */
  static void check(String name, DType dtype, double tol, boolean viaBackward) throws IOException {
    Map<String, NdArray> fx = Npz.read(fixtureDir().resolve(name + ".npz"));
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    Map<String, NdArray> consts = new LinkedHashMap<>();
    for (var e : fx.entrySet()) {
      if (e.getKey().startsWith("in_")) inputs.put(e.getKey().substring(3), e.getValue().toTensor().to(dtype).detach().requiresGrad(true));
      if (e.getKey().startsWith("const_")) consts.put(e.getKey().substring(6), e.getValue());
    }
    Tensor[] outs = CHAINS.get(name).run(new Case(inputs, consts, dtype));
    List<Tensor> ups = new ArrayList<>();
    for (int k = 0; fx.containsKey("out_" + k); k++) ups.add(fx.get("upstream_" + k).toTensor().to(dtype));
    assertEquals(ups.size(), outs.length, name + ": number of outputs");

    List<String> problems = new ArrayList<>();
    for (int k = 0; k < outs.length; k++) compare(name + " " + dtype + " out_" + k, outs[k], fx.get("out_" + k), tol, problems);

    Tensor[] leaves = inputs.values().toArray(new Tensor[0]);
    Tensor[] grads;
    if (viaBackward) {
      Tensor loss = null;
      for (int k = 0; k < outs.length; k++) {
        Tensor term = outs[k].mul(ups.get(k)).sum();
        loss = loss == null ? term : loss.add(term);
      }
      loss.backward();
      grads = new Tensor[leaves.length];
      for (int j = 0; j < leaves.length; j++) grads[j] = leaves[j].grad() != null ? leaves[j].grad() : leaves[j].zerosLike();
    } else {
      grads = Autograd.grad(outs, leaves, ups.toArray(new Tensor[0]), false);
    }
    int j = 0;
    for (String in : inputs.keySet()) compare(name + " " + dtype + " grad_" + in, grads[j++], fx.get("grad_" + in), tol, problems);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Applies the tolerance rule of the class comment; records a line per mismatching tensor. */
  static void compare(String what, Tensor got, NdArray want, double tol, List<String> problems) {
    assertNotNull(want, what + ": missing in fixture");
    if (!java.util.Arrays.equals(got.shape(), want.shape())) {
      problems.add(what + ": shape " + java.util.Arrays.toString(got.shape()) + ", PyTorch " + java.util.Arrays.toString(want.shape()));
      return;
    }
    double[] g = got.toDoubleArray(), w = want.doubles();
    double scale = 0;
    for (double v : w) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    int at = -1;
    for (int i = 0; i < w.length; i++) {
      double bound = tol * (Math.abs(w[i]) + scale);
      double err = Math.abs(g[i] - w[i]);
      double ratio = bound == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / bound;
      if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY; // a NaN where PyTorch has a number
      if (ratio > worst) {
        worst = ratio;
        at = i;
      }
    }
    if (worst > 1) {
      problems.add(String.format("%s: element %d is %.17g, PyTorch %.17g (error %.3g times the tolerance)", what, at, g[at], w[at], worst));
    }
  }
}
