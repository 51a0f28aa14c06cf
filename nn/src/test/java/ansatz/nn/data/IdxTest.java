package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ansatz.autograd.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
  @TempDir Path dir;

  /** IDX bytes: magic, dims, then payload. */
  static byte[] idx(int magic, int[] dims, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
    b.putInt(magic);
    for (int d : dims) b.putInt(d);
    b.put(payload);
    return b.array();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** n images of h x w where pixel (i, p) = (7 i + p) mod 256, labels i mod 10. */
  static byte[] imagePayload(int n, int h, int w) {
    byte[] p = new byte[n * h * w];
    for (int i = 0; i < n; i++) for (int k = 0; k < h * w; k++) p[i * h * w + k] = (byte) ((7 * i + k) % 256);
    return p;
  }

  static byte[] labelPayload(int n) {
    byte[] p = new byte[n];
    for (int i = 0; i < n; i++) p[i] = (byte) (i % 10);
    return p;
  }

  /** Writes the four standard files for a tiny n-train / m-test set of h x w images. */
  static void writeSet(Path dir, int n, int m, int h, int w, boolean gz) throws IOException {
    write(dir, "train-images-idx3-ubyte", idx(Idx.IMAGES_MAGIC, new int[] {n, h, w}, imagePayload(n, h, w)), gz);
    write(dir, "train-labels-idx1-ubyte", idx(Idx.LABELS_MAGIC, new int[] {n}, labelPayload(n)), gz);
    write(dir, "t10k-images-idx3-ubyte", idx(Idx.IMAGES_MAGIC, new int[] {m, h, w}, imagePayload(m, h, w)), gz);
    write(dir, "t10k-labels-idx1-ubyte", idx(Idx.LABELS_MAGIC, new int[] {m}, labelPayload(m)), gz);
  }

  static void write(Path dir, String base, byte[] bytes, boolean gz) throws IOException {
    if (gz) Files.write(dir.resolve(base + ".gz"), gzip(bytes));
    else Files.write(dir.resolve(base), bytes);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsImagesAndLabelsPlainAndGzip(boolean gz) throws IOException {
    byte[] payload = imagePayload(5, 3, 4);
    payload[0] = (byte) 255; // unsigned values above 127 must survive
    Path f = dir.resolve(gz ? "img.gz" : "img");
    Files.write(f, gz ? gzip(idx(Idx.IMAGES_MAGIC, new int[] {5, 3, 4}, payload)) : idx(Idx.IMAGES_MAGIC, new int[] {5, 3, 4}, payload));
    Idx.Array a = Idx.readImages(f, -1);
    assertArrayEquals(new int[] {5, 3, 4}, a.dims());
    assertEquals(12, a.itemSize());
    assertArrayEquals(payload, a.data());
    Idx.Array limited = Idx.readImages(f, 2);
    assertArrayEquals(new int[] {2, 3, 4}, limited.dims());
    assertEquals(5, limited.totalItems());
    assertArrayEquals(Arrays.copyOf(payload, 24), limited.data());
  }

  @Test
  void gzipIsDetectedByMagicNotByName() throws IOException {
    Path f = dir.resolve("labels-without-gz-suffix");
    Files.write(f, gzip(idx(Idx.LABELS_MAGIC, new int[] {4}, new byte[] {1, 2, 3, (byte) 200})));
    assertArrayEquals(new int[] {1, 2, 3, 200}, Idx.labelsAsInts(Idx.readLabels(f, -1)));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void badMagicIsRejected(boolean gz) throws IOException {
    Path f = dir.resolve("bad");
    byte[] bytes = idx(0x12340803, new int[] {1, 1, 1}, new byte[] {0});
    Files.write(f, gz ? gzip(bytes) : bytes);
    var e = assertThrows(DataException.class, () -> Idx.readImages(f, -1));
    assertTrue(e.getMessage().contains("magic") && e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void labelFileWhereImagesExpectedIsRejected() throws IOException {
    Path f = dir.resolve("labels");
    Files.write(f, idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[3]));
    var e = assertThrows(DataException.class, () -> Idx.readImages(f, -1));
    assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
  }

  @Test
  void nonByteElementTypeIsRejected() throws IOException {
    Path f = dir.resolve("floats");
    Files.write(f, idx(0x00000d01, new int[] {1}, new byte[4]));
    var e = assertThrows(DataException.class, () -> Idx.readLabels(f, -1));
    assertTrue(e.getMessage().contains("0x0d"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedFileNamesExpectedAndFoundBytes(boolean gz) throws IOException {
    byte[] full = idx(Idx.IMAGES_MAGIC, new int[] {4, 2, 2}, new byte[16]);
    byte[] cut = Arrays.copyOf(full, full.length - 5);
    Path f = dir.resolve("cut");
    Files.write(f, gz ? gzip(cut) : cut);
    var e = assertThrows(DataException.class, () -> Idx.readImages(f, -1));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(full.length)) && e.getMessage().contains(String.valueOf(cut.length)),
        e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsReported() throws IOException {
    byte[] compressed = gzip(idx(Idx.IMAGES_MAGIC, new int[] {50, 4, 4}, imagePayload(50, 4, 4)));
    Path f = dir.resolve("cut.gz");
    Files.write(f, Arrays.copyOf(compressed, compressed.length / 2));
    var e = assertThrows(DataException.class, () -> Idx.readImages(f, -1));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void trailingBytesAreRejected(boolean gz) throws IOException {
    byte[] bytes = idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3});
    Path f = dir.resolve("long");
    Files.write(f, gz ? gzip(bytes) : bytes);
    var e = assertThrows(DataException.class, () -> Idx.readLabels(f, -1));
    assertTrue(e.getMessage().contains("trailing") && e.getMessage().contains("10") && e.getMessage().contains("11"),
        e.getMessage());
  }

  @Test
  void missingFileIsReported() {
    var e = assertThrows(DataException.class, () -> Idx.readLabels(dir.resolve("nope"), -1));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void fashionMnistLoaderOnTinySyntheticFiles(boolean gz) throws IOException {
    writeSet(dir, 12, 5, 3, 4, gz);
    Split s = FashionMnist.load(dir);
    assertEquals(12, s.train().size());
    assertEquals(5, s.test().size());
    assertArrayEquals(new int[] {12, 12}, s.train().inputs().shape());
    assertEquals(DType.FLOAT32, s.train().inputs().dtype());
    assertEquals(10, s.train().numClasses());
    assertEquals((7 * 3 + 5) % 256 / 255.0, s.train().inputs().get(3, 5), 1e-7);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, s.test().labels());
    assertEquals(1.0, s.train().targets().get(11, 1));
    assertEquals(12.0, s.train().targets().sum().item(), 1e-9); // exactly one 1 per row
    Split images = FashionMnist.load(dir, FashionMnist.Options.defaults().asImages().withLimits(4, 2).withDType(DType.FLOAT64));
    assertArrayEquals(new int[] {4, 1, 3, 4}, images.train().inputs().shape());
    assertArrayEquals(new int[] {2, 1, 3, 4}, images.test().inputs().shape());
    assertEquals(DType.FLOAT64, images.train().inputs().dtype());
    assertEquals((7 * 3 + 6) / 255.0, images.train().inputs().get(3, 0, 1, 2), 1e-15);
  }

  @Test
  void imageLabelCountMismatchIsReported() throws IOException {
    writeSet(dir, 6, 3, 2, 2, false);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(Idx.LABELS_MAGIC, new int[] {5}, labelPayload(5)));
    var e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().contains("6 images") && e.getMessage().contains("5 labels"), e.getMessage());
  }

  @Test
  void missingDirectoryAndFileSayHowToInstall() throws IOException {
    var e = assertThrows(DataException.class, () -> FashionMnist.load(dir.resolve("absent")));
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    var e2 = assertThrows(DataException.class, () -> FashionMnist.load(dir));
    assertTrue(e2.getMessage().contains("train-images-idx3-ubyte") && e2.getMessage().contains("apt-get install"), e2.getMessage());
  }

  @Test
  void realFashionMnistWhenInstalled() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
    long t0 = System.nanoTime();
    Split s = FashionMnist.load();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(60000, s.train().size());
    assertEquals(10000, s.test().size());
    assertArrayEquals(new int[] {60000, 784}, s.train().inputs().shape());
    // Fashion-MNIST is exactly balanced: 6000 per class in train, 1000 in test.
    int[] trainHist = new int[10], testHist = new int[10];
    for (int y : s.train().labels()) trainHist[y]++;
    for (int y : s.test().labels()) testHist[y]++;
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, trainHist[c], "train class " + c);
      assertEquals(1000, testHist[c], "test class " + c);
    }
    float[] x = s.train().inputs().floats();
    float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
    for (float v : x) { min = Math.min(min, v); max = Math.max(max, v); }
    assertEquals(0f, min);
    assertEquals(1f, max);
    // Speed is measured by benchmarks, not asserted here: shared machines make timed tests flaky.
    System.out.printf("Fashion-MNIST loaded in %.2f s%n", seconds);
  }
}
