package ansatz.autograd.testing;

import ansatz.autograd.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only, minimal reader of NumPy .npy files holding little-endian float64 ({@code '<f8'}) in C
 * order, read from the test classpath. It exists only until the project's own .npy reader lands;
 * anything else (other dtypes, Fortran order, bad magic) is rejected with a message naming the file.
 */
public final class NpyTestReader {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpyTestReader() {}

  /** @return the array in the classpath resource {@code resource} as a float64 tensor */
  public static Tensor read(String resource) {
    byte[] bytes;
    try (InputStream in = NpyTestReader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("npy: test resource not found: " + resource);
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("npy: cannot read " + resource, e);
    }
    return parse(resource, bytes);
  }

  /** @return the .npy content {@code bytes} (named {@code name} in errors) as a float64 tensor */
  public static Tensor parse(String name, byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.length < 10) throw new IllegalArgumentException("npy: " + name + " is too short (" + bytes.length + " bytes)");
    for (int i = 0; i < magic.length; i++) {
      if (bytes[i] != magic[i]) throw new IllegalArgumentException("npy: " + name + " does not start with the .npy magic string");
    }
    int major = bytes[6];
    int headerLen, headerStart;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(buf.getShort(8));
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLen = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new IllegalArgumentException("npy: " + name + " has unsupported format version " + major);
    }
    String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name);
    if (!descr.equals("<f8")) throw new IllegalArgumentException("npy: " + name + " has dtype '" + descr + "', only '<f8' is supported");
    if (group(FORTRAN, header, name).equals("True")) throw new IllegalArgumentException("npy: " + name + " is in Fortran order, only C order is supported");
    String[] dims = group(SHAPE, header, name).split(",");
    int count = 0;
    for (String d : dims) if (!d.isBlank()) count++;
    int[] shape = new int[count];
    long numel = 1;
    for (int i = 0, k = 0; i < dims.length; i++) {
      if (dims[i].isBlank()) continue;
      shape[k] = Integer.parseInt(dims[i].trim());
      numel *= shape[k++];
    }
    int dataStart = headerStart + headerLen;
    if (bytes.length - dataStart != numel * 8) {
      throw new IllegalArgumentException("npy: " + name + " holds " + (bytes.length - dataStart) + " data bytes, its shape "
          + java.util.Arrays.toString(shape) + " needs " + numel * 8);
    }
    double[] data = new double[(int) numel];
    buf.position(dataStart);
    buf.asDoubleBuffer().get(data);
    return Tensor.wrap(data, shape);
  }

  private static String group(Pattern p, String header, String name) {
    Matcher m = p.matcher(header);
    if (!m.find()) throw new IllegalArgumentException("npy: " + name + " has a header without " + p.pattern() + ": " + header.trim());
    return m.group(1);
  }
}
