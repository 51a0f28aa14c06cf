package ansatz.nn;

import ansatz.autograd.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the golden fixture written by nn/src/test/python/golden_optim.py: one float64 tensor per
 * line as {@code key;shape;values}.
 */
public final class Golden {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  private Golden() {}

  /** @return the tensors of a classpath resource such as {@code /golden/nn_golden.txt} */
  public static Golden load(String resource) {
    Golden g = new Golden();
    try (InputStream in = Golden.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("golden fixture " + resource + " is missing; run nn/src/test/python/golden_optim.py");
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int n = 0; n < lines.length; n++) {
        String line = lines[n].strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] parts = line.split(";", -1);
        if (parts.length != 3) throw new IllegalStateException(resource + ":" + (n + 1) + ": expected key;shape;values");
        int[] shape = parts[1].isEmpty() ? new int[0] : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
        double[] v = parts[2].isEmpty() ? new double[0] : java.util.Arrays.stream(parts[2].split(" ")).mapToDouble(Double::parseDouble).toArray();
        g.tensors.put(parts[0], Tensor.wrap(v, shape));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return g;
  }

  /** @return the tensor stored under {@code key} (a fresh float64 copy) */
  public Tensor get(String key) {
    Tensor t = tensors.get(key);
    if (t == null) throw new IllegalArgumentException("golden key '" + key + "' not found");
    return t.copyData();
  }

  /** @return the tensor under {@code key} read as whole numbers */
  public int[] ints(String key) {
    double[] d = get(key).toDoubleArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) out[i] = (int) d[i];
    return out;
  }
}
