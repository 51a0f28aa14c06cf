package ansatz.autograd.io;

import ansatz.autograd.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file with one {@code name.npy} entry per
 * array, stored ({@code np.savez}) or deflated ({@code np.savez_compressed}). Arrays keep the order
 * of the archive. Writing is atomic (see {@link AtomicFiles}) and reproducible: the same arrays give
 * the same bytes (entry times are fixed).
 *
 * <pre>{@code
 * Map<String, NdArray> m = new LinkedHashMap<>();
 * m.put("w", NdArray.of(w));
 * m.put("labels", NdArray.of(new long[] {3, 1, 4}, 3));
 * Npz.write(Path.of("ckpt.npz"), m, true);
 * NdArray w2 = Npz.read(Path.of("ckpt.npz")).get("w");
 * }</pre>
 */
public final class Npz {
  private static final String SUFFIX = ".npy";
  /** A fixed entry time (the zip epoch, as NumPy uses), so that equal content gives byte-identical archives. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private Npz() {}

  /**
   * Reads every array of an archive, in archive order.
   *
   * @return name (entry name without {@code .npy}) to array, in archive order
   * @throws IOException naming the file (and entry) for a missing, corrupt or unsupported archive
   */
  public static Map<String, NdArray> read(Path path) throws IOException {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new IOException(path + ": not a valid .npz (zip) file: " + e.getMessage(), e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String source = path + " entry '" + e.getName() + "'";
        if (e.isDirectory() || !e.getName().endsWith(SUFFIX)) {
          throw new IOException(source + ": not a .npy array (every entry of an .npz must be name.npy)");
        }
        String name = e.getName().substring(0, e.getName().length() - SUFFIX.length());
        if (arrays.containsKey(name)) throw new IOException(source + ": duplicate array name '" + name + "'");
        try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
          arrays.put(name, Npy.read(in, source));
        } catch (ZipException ex) {
          throw new IOException(source + ": corrupt zip data: " + ex.getMessage(), ex);
        }
      }
    }
    return arrays;
  }

  /** Reads an archive of float arrays as tensors (float32 or float64, as stored), in archive order. */
  public static Map<String, Tensor> readTensors(Path path) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray> e : read(path).entrySet()) {
      if (!e.getValue().type().isFloat()) {
        throw new IOException(path + ": array '" + e.getKey() + "' holds " + e.getValue().type() + ", not floats; use Npz.read");
      }
      out.put(e.getKey(), e.getValue().toTensor());
    }
    return out;
  }

  /**
   * Atomically writes the arrays, in map iteration order, as {@code name.npy} entries.
   *
   * @param compressed deflate the entries (as {@code np.savez_compressed}) or store them (as
   *     {@code np.savez})
   */
  public static void write(Path path, Map<String, NdArray> arrays, boolean compressed) throws IOException {
    for (String name : arrays.keySet()) checkName(name);
    AtomicFiles.write(path, out -> write(out, arrays, compressed));
  }

  /** Atomically writes tensors (float32 or float64, as they are), in map iteration order. */
  public static void writeTensors(Path path, Map<String, Tensor> tensors, boolean compressed) throws IOException {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) arrays.put(e.getKey(), NdArray.of(e.getValue()));
    write(path, arrays, compressed);
  }

  /** Writes an archive to a stream (finished, not closed). */
  public static void write(OutputStream out, Map<String, NdArray> arrays, boolean compressed) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
      checkName(e.getKey());
      ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
      entry.setTimeLocal(ENTRY_TIME);
      if (compressed) {
        entry.setMethod(ZipEntry.DEFLATED);
      } else {
        // A stored entry needs its size and CRC up front: one extra pass computes them without
        // buffering the whole array.
        CRC32 crc = new CRC32();
        CountingStream counter = new CountingStream();
        Npy.write(new CheckedOutputStream(counter, crc), e.getValue());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(counter.count);
        entry.setCompressedSize(counter.count);
        entry.setCrc(crc.getValue());
      }
      zip.putNextEntry(entry);
      Npy.write(zip, e.getValue());
      zip.closeEntry();
    }
    zip.finish();
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("Npz.write: array names must be non-empty, got " + (name == null ? "null" : "\"\""));
  }

  /** Counts bytes and discards them. */
  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
