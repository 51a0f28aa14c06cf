package ansatz.instrument.record;

import ansatz.nn.Conv2d;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.Parameterization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model.json} of a run: enough to rebuild the network in numpy or PyTorch and load the
 * snapshot's {@code param.*} arrays into it. Every module is listed by dotted name in forward
 * order (parents before children) with its type, its settings (parsed from its printed form, e.g.
 * {@code kernel=2, stride=2}), its parameter shapes, and for Linear/Conv2d the exact forward
 * formula (including the NTK scale) and the matching PyTorch constructor.
 */
public final class ModelDescription {
  /** format tag written in the file */
  public static final String FORMAT = "ansatz-model/1";

  private ModelDescription() {}

  /** {@return the description as a JSON-ready map} */
  public static Map<String, Object> of(Module model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("dtype", model.parameters().isEmpty() ? "float32" : model.parameters().get(0).dtype().toString().toLowerCase(java.util.Locale.ROOT));
    m.put("parameter_count", model.parameterCount());
    Map<String, Object> params = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) params.put(p.getKey(), p.getValue().shape());
    m.put("parameters", params);
    List<Map<String, Object>> modules = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) modules.add(module(e.getKey(), e.getValue()));
    m.put("modules", modules);
    m.put("notes", List.of(
        "Containers (Sequential) run their children in the listed order; children are named 0, 1, ...",
        "Parameters are stored in snapshots/<tag>.npz as param.<name> (current) and init.<name> (at initialization).",
        "Linear: weight (out, in); Conv2d: weight (out, in, kh, kw) on NCHW inputs, as PyTorch.",
        "parameterization ntk multiplies W by 1/sqrt(fan_in) in the forward (fan_in = in, or in*kh*kw for conv)."));
    m.put("repr", model.toString());
    return m;
  }

  private static Map<String, Object> module(String name, Module mod) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    String type = mod.getClass().getSimpleName();
    m.put("type", type);
    if (!mod.namedChildren().isEmpty()) m.put("children", new ArrayList<>(mod.namedChildren().keySet()));
    Map<String, Object> own = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : mod.ownParameters().entrySet()) own.put(p.getKey(), p.getValue().shape());
    if (!own.isEmpty()) m.put("params", own);
    if (mod.namedChildren().isEmpty()) m.putAll(settings(mod.toString()));
    if (mod instanceof Linear lin) {
      boolean ntk = lin.parameterization() == Parameterization.NTK;
      m.put("parameterization", ntk ? "ntk" : "standard");
      m.put("forward", "z = x @ W.T" + (ntk ? " / sqrt(" + lin.inFeatures() + ")" : "") + (lin.bias() != null ? " + b" : ""));
      m.put("torch", "nn.Linear(" + lin.inFeatures() + ", " + lin.outFeatures() + ", bias=" + (lin.bias() != null ? "True" : "False") + ")"
          + (ntk ? " with the forward divided by sqrt(in) before the bias" : ""));
    } else if (mod instanceof Conv2d c) {
      boolean ntk = c.parameterization() == Parameterization.NTK;
      int fanIn = c.inChannels() * c.kernelHeight() * c.kernelWidth();
      m.put("parameterization", ntk ? "ntk" : "standard");
      m.put("forward", "z = conv2d(x, W" + (ntk ? " / sqrt(" + fanIn + ")" : "") + ", stride=" + c.stride() + ", padding=" + c.padding()
          + ", dilation=" + c.dilation() + ")" + (c.bias() != null ? " + b" : ""));
      m.put("torch", "nn.Conv2d(" + c.inChannels() + ", " + c.outChannels() + ", (" + c.kernelHeight() + ", " + c.kernelWidth() + "), stride="
          + c.stride() + ", padding=" + c.padding() + ", dilation=" + c.dilation() + ", bias=" + (c.bias() != null ? "True" : "False") + ")"
          + (ntk ? " with W scaled by 1/sqrt(in*kh*kw) in the forward" : ""));
      m.put("filter_matrix", new int[] {c.outChannels(), fanIn});
    } else {
      String torch = TORCH.get(type);
      if (torch != null) m.put("torch", torch);
    }
    return m;
  }

  private static final Map<String, String> TORCH = Map.of("ReLU", "nn.ReLU()", "Tanh", "nn.Tanh()", "Sigmoid", "nn.Sigmoid()",
      "GELU", "nn.GELU()", "Identity", "nn.Identity()", "Flatten", "nn.Flatten()", "LeakyReLU", "nn.LeakyReLU(slope)",
      "MaxPool2d", "nn.MaxPool2d(kernel, stride, padding)", "AvgPool2d", "nn.AvgPool2d(kernel, stride, padding)",
      "Sequential", "nn.Sequential(children...)");

  /** {@return the {@code key=value} settings inside a leaf's printed form {@code Type(k=v, ...)}, typed} */
  static Map<String, Object> settings(String repr) {
    Map<String, Object> out = new LinkedHashMap<>();
    int open = repr.indexOf('('), close = repr.lastIndexOf(')');
    if (open < 0 || close <= open) return out;
    for (String part : repr.substring(open + 1, close).split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) continue;
      String k = part.substring(0, eq).trim(), v = part.substring(eq + 1).trim();
      out.put(k, typed(v));
    }
    return out;
  }

  private static Object typed(String v) {
    if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
