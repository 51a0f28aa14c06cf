package ansatz.autograd.io;

import ansatz.autograd.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0; C order, or Fortran
 * order only where the bytes are the same, i.e. at most one axis longer than 1;
 * little-endian float32, float64, int32 and int64).
 *
 * <p>The format: the magic {@code \x93NUMPY}, two version bytes, the header length (2 bytes in
 * version 1, 4 bytes in versions 2 and 3, little-endian), a Python dict literal padded with spaces
 * and a newline so that the data starts at a multiple of 64 bytes, then the raw elements.
 *
 * <p>Everything is checked on reading -- magic, version, header, type, order and that the data
 * exactly fills the shape -- and every failure is an {@link IOException} whose message starts with
 * the file name and says what is wrong, e.g.
 * {@code x.npy: truncated: header says shape (3, 4) float32 = 48 bytes, found 20}.
 * Writing goes through {@link AtomicFiles}, so a crash never leaves a half-written file.
 *
 * <pre>{@code
 * Npy.write(Path.of("w.npy"), tensor);
 * Tensor back = Npy.readTensor(Path.of("w.npy"));
 * NdArray labels = Npy.read(Path.of("labels.npy"));   // e.g. int64 from NumPy
 * int[] y = labels.toIntArray();
 * }</pre>
 */
public final class Npy {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** NumPy aligns the data to 64 bytes so that it can be memory-mapped efficiently. */
  private static final int ALIGN = 64;
  /** A sanity cap: real headers are ~100 bytes; a huge length means a corrupt file. */
  private static final int MAX_HEADER = 1 << 20;
  private static final int CHUNK = 1 << 16;

  private Npy() {}

  // ===================================================================== reading

  /** Reads one array from a file. */
  public static NdArray read(Path path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), CHUNK)) {
      return read(in, path.toString());
    }
  }

  /**
   * Reads one array from a stream that holds exactly one {@code .npy} file (bytes after the data
   * are an error). The stream is read to its end but not closed.
   *
   * @param sourceName names the data in error messages, e.g. the file name
   */
  public static NdArray read(InputStream in, String sourceName) throws IOException {
    NdArray a = readArray(in, sourceName);
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new IOException(sourceName + ": " + extra + " unexpected bytes after the data of shape "
          + shapeString(a.shape()) + " " + a.type() + " (" + dataBytes(a.type(), a.numel()) + " bytes)");
    }
    return a;
  }

  /** Reads a float32 or float64 array as a tensor of that type. */
  public static Tensor readTensor(Path path) throws IOException {
    NdArray a = read(path);
    if (!a.type().isFloat()) {
      throw new IOException(path + ": holds " + a.type() + " " + shapeString(a.shape()) + ", not floats; use Npy.read for integer arrays");
    }
    return a.toTensor();
  }

  /** Reads the header and data of one array, leaving the stream just after the data. */
  static NdArray readArray(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (magic.length < MAGIC.length || !java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException(source + ": not a .npy file: starts with " + printable(magic)
          + ", expected the magic \\x93NUMPY" + (magic.length < MAGIC.length ? " (file has only " + magic.length + " bytes)" : ""));
    }
    int major = readByte(in, source, "version"), minor = readByte(in, source, "version");
    if (major < 1 || major > 3 || minor != 0) {
      throw new IOException(source + ": unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
    }
    int lenBytes = major == 1 ? 2 : 4;
    long headerLen = 0;
    for (int i = 0; i < lenBytes; i++) headerLen |= (long) readByte(in, source, "header length") << (8 * i);
    if (headerLen > MAX_HEADER) {
      throw new IOException(source + ": header length " + headerLen + " bytes is implausible (corrupt file?)");
    }
    byte[] headerBytes = in.readNBytes((int) headerLen);
    if (headerBytes.length < headerLen) {
      throw new IOException(source + ": truncated: header length says " + headerLen + " bytes, found " + headerBytes.length);
    }
    // Versions 1 and 2 store the header in latin-1; version 3 allows UTF-8.
    String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader header = NpyHeader.parse(text, source);
    NpyType type = typeOf(header.descr(), source);
    int[] shape = toIntShape(header.shape(), source);
    if (header.fortranOrder() && !sameInBothOrders(shape)) {
      throw new IOException(source + ": fortran_order is True; only C order is supported "
          + "(save np.ascontiguousarray(a) instead)");
    }
    int n = ansatz.autograd.Shape.numel(shape);
    Object data = readData(in, type, n, shape, source);
    return new NdArray(type, shape, data);
  }

  /** {@return true if at most one axis is longer than 1, so Fortran and C order lay out the same bytes} */
  private static boolean sameInBothOrders(int[] shape) {
    int longAxes = 0;
    for (int n : shape) if (n > 1) longAxes++;
    return longAxes <= 1;
  }

  private static NpyType typeOf(String descr, String source) throws IOException {
    NpyType t = NpyType.fromDescr(descr);
    if (t != null) return t;
    String why = descr.startsWith(">") ? " (big-endian; convert with a.astype(a.dtype.newbyteorder('<')))" : "";
    throw new IOException(source + ": unsupported dtype '" + descr + "'" + why + "; supported: <f4, <f8, <i4, <i8");
  }

  private static int[] toIntShape(long[] shape, String source) throws IOException {
    int[] s = new int[shape.length];
    long n = 1;
    boolean zero = false, tooBig = false;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) tooBig = true;
      else if (shape[i] == 0) zero = true;
      else if (n <= Integer.MAX_VALUE) n *= shape[i];
      s[i] = (int) shape[i];
    }
    if (tooBig || (!zero && n > Integer.MAX_VALUE - 8)) {
      throw new IOException(source + ": shape " + shapeString(shape) + " has more elements than a Java array holds");
    }
    return s;
  }

  private static Object readData(InputStream in, NpyType type, int n, int[] shape, String source) throws IOException {
    Object data = switch (type) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT32 -> new int[n];
      case INT64 -> new long[n];
    };
    int size = type.bytes();
    int perChunk = CHUNK / size;
    byte[] buf = new byte[Math.min(CHUNK, Math.max(size, n * size))];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < n; ) {
      int count = Math.min(perChunk, n - done);
      int got = in.readNBytes(buf, 0, count * size);
      if (got < count * size) {
        long found = (long) done * size + got;
        throw new IOException(source + ": truncated: header says shape " + shapeString(shape) + " " + type + " = "
            + dataBytes(type, n) + " bytes, found " + found);
      }
      bb.clear();
      switch (type) {
        case FLOAT32 -> bb.asFloatBuffer().get((float[]) data, done, count);
        case FLOAT64 -> bb.asDoubleBuffer().get((double[]) data, done, count);
        case INT32 -> bb.asIntBuffer().get((int[]) data, done, count);
        case INT64 -> bb.asLongBuffer().get((long[]) data, done, count);
      }
      done += count;
    }
    return data;
  }

  private static int readByte(InputStream in, String source, String what) throws IOException {
    int b = in.read();
    if (b < 0) throw new IOException(source + ": truncated in the " + what + " bytes");
    return b;
  }

  private static String printable(byte[] b) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte x : b) {
      int c = x & 0xff;
      sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return sb.append('"').toString();
  }

  // ===================================================================== writing

  /** Writes an array to a file atomically (format 1.0, or 2.0 for enormous headers). */
  public static void write(Path path, NdArray array) throws IOException {
    AtomicFiles.write(path, out -> write(out, array));
  }

  /** Writes a tensor's values (any layout) in its own type, float32 or float64. */
  public static void write(Path path, Tensor tensor) throws IOException {
    write(path, NdArray.of(tensor));
  }

  /** Writes float32 values in the given shape. */
  public static void write(Path path, float[] data, int... shape) throws IOException {
    write(path, NdArray.of(data, shape));
  }

  /** Writes float64 values in the given shape. */
  public static void write(Path path, double[] data, int... shape) throws IOException {
    write(path, NdArray.of(data, shape));
  }

  /** Writes int32 values in the given shape. */
  public static void write(Path path, int[] data, int... shape) throws IOException {
    write(path, NdArray.of(data, shape));
  }

  /** Writes int64 values in the given shape. */
  public static void write(Path path, long[] data, int... shape) throws IOException {
    write(path, NdArray.of(data, shape));
  }

  /** Writes one array to a stream (not closed), as format 1.0 when the header fits, else 2.0. */
  public static void write(OutputStream out, NdArray array) throws IOException {
    write(out, array, 0);
  }

  /**
   * Writes one array in the given format version (1, 2 or 3; 0 picks the smallest that fits).
   * Package-private: the choice only matters to tests.
   */
  static void write(OutputStream out, NdArray array, int major) throws IOException {
    String dict = new NpyHeader(array.type().descr(), false, toLong(array.shape())).format();
    if (major == 0) major = paddedLength(dict.length(), 1) - 10 <= 0xFFFF ? 1 : 2;
    if (major < 1 || major > 3) throw new IllegalArgumentException("Npy.write: no format version " + major + ".0");
    out.write(headerBytes(dict, major));
    writeData(out, array);
  }

  /** {@return magic, version, length and the padded header, a multiple of 64 bytes long} */
  private static byte[] headerBytes(String dict, int major) {
    int lenBytes = major == 1 ? 2 : 4;
    byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int prefix = MAGIC.length + 2 + lenBytes;
    int padded = paddedLength(text.length, major);
    int headerLen = padded - prefix;
    if (major == 1 && headerLen > 0xFFFF) throw new IllegalArgumentException("Npy.write: header of " + headerLen + " bytes does not fit format 1.0");
    ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) b.putShort((short) headerLen);
    else b.putInt(headerLen);
    b.put(text);
    while (b.position() < padded - 1) b.put((byte) ' ');
    b.put((byte) '\n');
    return b.array();
  }

  /** {@return the length of the whole header (magic to newline) for a dict of {@code textLength} bytes} */
  private static int paddedLength(int textLength, int major) {
    int total = MAGIC.length + 2 + (major == 1 ? 2 : 4) + textLength + 1; // + '\n'
    return (total + ALIGN - 1) / ALIGN * ALIGN;
  }

  private static void writeData(OutputStream out, NdArray a) throws IOException {
    int n = a.numel(), size = a.type().bytes(), perChunk = CHUNK / size;
    byte[] buf = new byte[Math.min(CHUNK, Math.max(size, n * size))];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < n; ) {
      int count = Math.min(perChunk, n - done);
      bb.clear();
      switch (a.type()) {
        case FLOAT32 -> bb.asFloatBuffer().put(a.floats(), done, count);
        case FLOAT64 -> bb.asDoubleBuffer().put(a.doubles(), done, count);
        case INT32 -> bb.asIntBuffer().put(a.ints(), done, count);
        case INT64 -> bb.asLongBuffer().put(a.longs(), done, count);
      }
      out.write(buf, 0, count * size);
      done += count;
    }
  }

  // ===================================================================== helpers

  private static long[] toLong(int[] shape) {
    long[] l = new long[shape.length];
    for (int i = 0; i < shape.length; i++) l[i] = shape[i];
    return l;
  }

  static long dataBytes(NpyType type, int n) {
    return (long) n * type.bytes();
  }

  /** {@return a shape as Python writes a tuple: {@code ()}, {@code (5,)}, {@code (3, 4)}} */
  static String shapeString(int[] shape) {
    return shapeString(toLong(shape));
  }

  static String shapeString(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }
}
