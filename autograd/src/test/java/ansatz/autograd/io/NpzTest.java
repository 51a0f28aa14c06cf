package ansatz.autograd.io;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir Path dir;

  private static Map<String, NdArray> sample() {
    Map<String, NdArray> m = new LinkedHashMap<>();
    m.put("z_first", NdArray.of(new float[] {1.5f, -2, 3}, 3));
    m.put("weights", NdArray.of(Tensor.randn(new Rng(1), DType.FLOAT64, 4, 5)));
    m.put("labels", NdArray.of(new long[] {3, 1, 4, 1}, 4));
    m.put("counts", NdArray.of(new int[] {7, -8}, 2, 1));
    m.put("scalar", NdArray.of(new double[] {0.25}));
    m.put("empty", NdArray.of(new float[0], 0, 3));
    return m;
  }

  @Test
  void storedAndDeflatedRoundTripInOrder() throws IOException {
    for (boolean compressed : new boolean[] {false, true}) {
      Path p = dir.resolve("a" + compressed + ".npz");
      Npz.write(p, sample(), compressed);
      Map<String, NdArray> back = Npz.read(p);
      assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.keySet()), "order kept");
      assertEquals(sample(), back);
      try (ZipFile z = new ZipFile(p.toFile())) {
        int method = compressed ? ZipEntry.DEFLATED : ZipEntry.STORED;
        z.stream().forEach(e -> assertEquals(method, e.getMethod(), e.getName()));
        assertNotNull(z.getEntry("weights.npy"), "entries are named name.npy");
      }
    }
  }

  @Test
  void sameArraysGiveIdenticalBytes() throws IOException {
    Npz.write(dir.resolve("1.npz"), sample(), true);
    Npz.write(dir.resolve("2.npz"), sample(), true);
    assertArrayEquals(Files.readAllBytes(dir.resolve("1.npz")), Files.readAllBytes(dir.resolve("2.npz")));
  }

  @Test
  void tensorsRoundTrip() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("a", Tensor.randn(new Rng(2), 3, 2));
    t.put("b", Tensor.randn(new Rng(3), DType.FLOAT64, 2).expand(3, 2)); // a broadcast view
    Npz.writeTensors(dir.resolve("t.npz"), t, false);
    Map<String, Tensor> back = Npz.readTensors(dir.resolve("t.npz"));
    assertArrayEquals(t.get("a").toFloatArray(), back.get("a").toFloatArray());
    assertEquals(DType.FLOAT64, back.get("b").dtype());
    assertArrayEquals(t.get("b").toDoubleArray(), back.get("b").toDoubleArray());
  }

  @Test
  void readTensorsRefusesIntegerArraysByName() throws IOException {
    Npz.write(dir.resolve("m.npz"), sample(), false);
    IOException e = assertThrows(IOException.class, () -> Npz.readTensors(dir.resolve("m.npz")));
    assertTrue(e.getMessage().contains("m.npz") && e.getMessage().contains("'labels'"), e.getMessage());
  }

  @Test
  void emptyNamesAreRefusedBeforeTouchingTheDisk() {
    Map<String, NdArray> m = new LinkedHashMap<>(sample());
    m.put("", NdArray.of(new float[1], 1));
    assertThrows(IllegalArgumentException.class, () -> Npz.write(dir.resolve("x.npz"), m, false));
    assertFalse(Files.exists(dir.resolve("x.npz")));
  }

  @Test
  void missingFileNamesThePath() {
    Path p = dir.resolve("nope.npz");
    IOException e = assertThrows(IOException.class, () -> Npz.read(p));
    assertTrue(e.getMessage().contains("nope.npz"), e.getMessage());
  }

  @Test
  void failureHalfwayLeavesTheOldArchiveAndNoTempFiles() throws IOException {
    Path p = dir.resolve("ckpt.npz");
    Npz.write(p, sample(), true);
    byte[] before = Files.readAllBytes(p);
    // A map whose third entry blows up while the archive is being written.
    Map<String, NdArray> exploding = new AbstractMap<>() {
      @Override
      public Set<Entry<String, NdArray>> entrySet() {
        return new java.util.AbstractSet<>() {
          @Override
          public Iterator<Entry<String, NdArray>> iterator() {
            Iterator<Entry<String, NdArray>> it = sample().entrySet().iterator();
            return new Iterator<>() {
              int k;

              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public Entry<String, NdArray> next() {
                if (++k == 3) throw new IllegalStateException("simulated crash while writing");
                return it.next();
              }
            };
          }

          @Override
          public int size() {
            return 6;
          }
        };
      }
    };
    assertThrows(IllegalStateException.class, () -> Npz.write(p, exploding, true));
    assertArrayEquals(before, Files.readAllBytes(p), "old archive intact");
    assertEquals(List.of(p), AtomicFilesTest.listDir(dir), "no temp files left");
  }
}
