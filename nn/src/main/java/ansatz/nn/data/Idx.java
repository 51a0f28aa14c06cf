package ansatz.nn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of the MNIST family (MNIST, Fashion-MNIST, KMNIST), plain or gzip-compressed
 * (detected by the gzip magic bytes 0x1f 0x8b, not by the file name).
 *
 * <p>Layout: a 4-byte big-endian magic number {@code 0x0000TTNN} (TT = element type, only 0x08 =
 * unsigned byte is supported; NN = number of dimensions), then NN big-endian 32-bit sizes, then the
 * elements in row-major order. Images are {@code 0x00000803} (count, rows, cols) and labels
 * {@code 0x00000801} (count). The whole payload is read with one bulk read.
 */
public final class Idx {
  /** Magic number of an unsigned-byte image file (3 dimensions). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an unsigned-byte label file (1 dimension). */
  public static final int LABELS_MAGIC = 0x00000801;
  private static final int UBYTE = 0x08;

  private Idx() {}

  /**
   * The contents of an IDX file.
   *
   * @param file where it was read from (for messages)
   * @param dims the sizes, {@code dims[0]} = number of items actually read (after any limit)
   * @param totalItems number of items the file declares
   * @param data the unsigned bytes, row-major ({@code data[i] & 0xff} is the value)
   */
  public record Array(Path file, int[] dims, int totalItems, byte[] data) {
    /** {@return the number of items read} */
    public int count() {
      return dims[0];
    }

    /** {@return bytes per item (product of the dimensions after the first)} */
    public int itemSize() {
      int s = 1;
      for (int a = 1; a < dims.length; a++) s *= dims[a];
      return s;
    }
  }

  /** Reads an image file ({@code 0x00000803}): count x rows x cols unsigned bytes. */
  public static Array readImages(Path file, int limit) {
    return read(file, IMAGES_MAGIC, limit);
  }

  /** Reads a label file ({@code 0x00000801}): count unsigned bytes. */
  public static Array readLabels(Path file, int limit) {
    return read(file, LABELS_MAGIC, limit);
  }

  /** {@return the labels of a label file as ints in [0, 255]} */
  public static int[] labelsAsInts(Array labels) {
    byte[] b = labels.data();
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
    return out;
  }

  /**
   * Reads an IDX file and checks its magic number, dimensions and size.
   *
   * @param file the file, plain or gzip
   * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC} (any 0x000008NN works)
   * @param limit read at most this many items (a negative value means all). With a limit the bytes
   *     after the last item read are not checked for a gzip file (checking would mean decompressing
   *     them); a plain file's size is always checked in full.
   */
  public static Array read(Path file, int expectedMagic, int limit) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("IDX file " + file + " does not exist or is not a regular file");
    }
    try (InputStream raw = Files.newInputStream(file)) {
      BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
      boolean gzip = isGzip(buffered);
      InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
      return parse(file, in, gzip, expectedMagic, limit);
    } catch (NoSuchFileException e) {
      throw new DataException("IDX file " + file + " does not exist", e);
    } catch (EOFException | ZipException e) {
      throw new DataException("IDX file " + file + ": the gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataException("IDX file " + file + " could not be read: " + e, e);
    }
  }

  /** Peeks at the first two bytes without consuming them. */
  private static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read(), b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static Array parse(Path file, InputStream in, boolean gzip, int expectedMagic, int limit) throws IOException {
    String what = gzip ? " (decompressed)" : "";
    byte[] head = in.readNBytes(4);
    if (head.length < 4) {
      throw new DataException("IDX file " + file + " is truncated: expected at least 4 header bytes" + what + ", found " + head.length);
    }
    int magic = readInt(head, 0);
    int expectedDims = expectedMagic & 0xff;
    if (head[0] != 0 || head[1] != 0) {
      throw new DataException(String.format("IDX file %s: bad magic number 0x%08x (expected 0x%08x); is it an IDX file?",
          file, magic, expectedMagic));
    }
    if ((head[2] & 0xff) != UBYTE) {
      throw new DataException(String.format("IDX file %s: element type byte is 0x%02x, only 0x08 (unsigned byte) is supported "
          + "(magic 0x%08x, expected 0x%08x)", file, head[2] & 0xff, magic, expectedMagic));
    }
    if (magic != expectedMagic) {
      throw new DataException(String.format("IDX file %s: magic number 0x%08x says %d dimensions, expected 0x%08x (%d dimensions%s)",
          file, magic, head[3] & 0xff, expectedMagic, expectedDims,
          expectedMagic == IMAGES_MAGIC ? ", an image file" : expectedMagic == LABELS_MAGIC ? ", a label file" : ""));
    }
    byte[] dimBytes = in.readNBytes(4 * expectedDims);
    long headerBytes = 4L + 4L * expectedDims;
    if (dimBytes.length < 4 * expectedDims) {
      throw new DataException("IDX file " + file + " is truncated: expected at least " + headerBytes + " header bytes" + what
          + ", found " + (4 + dimBytes.length));
    }
    int[] dims = new int[expectedDims];
    long itemSize = 1;
    for (int a = 0; a < expectedDims; a++) {
      dims[a] = readInt(dimBytes, 4 * a);
      if (dims[a] < 0) {
        throw new DataException("IDX file " + file + ": dimension " + a + " is negative (" + (dims[a] & 0xffffffffL) + ")");
      }
      if (a > 0) itemSize *= dims[a];
    }
    int total = dims[0];
    long expectedBytes = headerBytes + total * itemSize;
    int take = limit < 0 ? total : Math.min(limit, total);
    long need = take * itemSize;
    if (need > Integer.MAX_VALUE - 16) {
      throw new DataException("IDX file " + file + ": " + take + " items of " + itemSize + " bytes do not fit in one array; "
          + "pass a smaller limit");
    }
    if (!gzip) {
      long size = Files.size(file);
      if (size != expectedBytes) {
        throw new DataException("IDX file " + file + (size < expectedBytes ? " is truncated" : " has trailing bytes")
            + ": header " + Arrays.toString(dims) + " needs " + expectedBytes + " bytes, found " + size);
      }
    }
    byte[] data = in.readNBytes((int) need);
    if (data.length < need) {
      throw new DataException("IDX file " + file + " is truncated: header " + Arrays.toString(dims) + " needs " + expectedBytes
          + " bytes" + what + ", found " + (headerBytes + data.length));
    }
    if (gzip && take == total) {
      long extra = 0, skipped;
      while ((skipped = in.skip(1 << 20)) > 0) extra += skipped;
      while (in.read() >= 0) extra++;
      if (extra > 0) {
        throw new DataException("IDX file " + file + " has trailing bytes: header " + Arrays.toString(dims) + " needs "
            + expectedBytes + " bytes" + what + ", found " + (expectedBytes + extra));
      }
    }
    int[] readDims = dims.clone();
    readDims[0] = take;
    return new Array(file, readDims, total, data);
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }
}
