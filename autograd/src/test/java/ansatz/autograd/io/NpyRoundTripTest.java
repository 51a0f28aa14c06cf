package ansatz.autograd.io;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing then reading gives back exactly the same array, for every type, shape and version. */
class NpyRoundTripTest {
  @TempDir Path dir;

  private static final int[][] SHAPES = {{}, {0}, {3, 0, 2}, {1}, {7}, {2, 3}, {2, 1, 3, 1}};

  private static NdArray sample(NpyType type, int[] shape, long seed) {
    Rng rng = new Rng(seed);
    int n = ansatz.autograd.Shape.numel(shape);
    return switch (type) {
      case FLOAT32 -> {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rng.nextGaussian() * 1e3);
        yield NdArray.of(f, shape);
      }
      case FLOAT64 -> {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.nextGaussian() * 1e-3;
        yield NdArray.of(d, shape);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = (int) rng.nextLong();
        yield NdArray.of(v, shape);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextLong();
        yield NdArray.of(v, shape);
      }
    };
  }

  @Test
  void everyTypeAndShapeRoundTripsThroughAFile() throws IOException {
    int k = 0;
    for (NpyType type : NpyType.values()) {
      for (int[] shape : SHAPES) {
        NdArray a = sample(type, shape, k);
        Path p = dir.resolve("a" + k++ + ".npy");
        Npy.write(p, a);
        NdArray back = Npy.read(p);
        assertEquals(a, back, type + " " + Arrays.toString(shape));
        assertArrayEquals(shape, back.shape());
        assertEquals(0, (Files.size(p) - (long) a.numel() * type.bytes()) % 64, "data starts at a multiple of 64");
      }
    }
  }

  @Test
  void allFormatVersionsRoundTrip() throws IOException {
    NdArray a = sample(NpyType.FLOAT64, new int[] {3, 2}, 9);
    for (int major = 1; major <= 3; major++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Npy.write(out, a, major);
      byte[] b = out.toByteArray();
      assertEquals(major, b[6], "version byte");
      assertEquals(a, Npy.read(new ByteArrayInputStream(b), "v" + major));
    }
  }

  @Test
  void specialFloatValuesSurviveBitForBit() throws IOException {
    float[] f = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
    double[] d = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1.0 / 3};
    Npy.write(dir.resolve("f.npy"), f, 6);
    Npy.write(dir.resolve("d.npy"), d, 2, 3);
    float[] fb = Npy.read(dir.resolve("f.npy")).floats();
    double[] db = Npy.read(dir.resolve("d.npy")).doubles();
    for (int i = 0; i < f.length; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(fb[i]), "float " + i);
    for (int i = 0; i < d.length; i++) assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(db[i]), "double " + i);
  }

  @Test
  void headerLooksLikeNumpys() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, NdArray.of(new float[12], 3, 4));
    byte[] b = out.toByteArray();
    String header = new String(b, 10, b.length - 10 - 48, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), header);
    assertTrue(header.endsWith("\n"), "header ends with a newline");
    assertEquals(128, b.length - 48, "header padded to a multiple of 64 bytes (as NumPy's)");
    assertEquals(128 - 10, (b[8] & 0xff) | (b[9] & 0xff) << 8, "little-endian header length");
  }

  @Test
  void tensorsRoundTripInTheirOwnType() throws IOException {
    Tensor t32 = Tensor.randn(new Rng(3), 4, 5).transpose(0, 1); // a non-contiguous view
    Tensor t64 = Tensor.randn(new Rng(4), DType.FLOAT64, 2, 3);
    Npy.write(dir.resolve("t32.npy"), t32);
    Npy.write(dir.resolve("t64.npy"), t64);
    Tensor b32 = Npy.readTensor(dir.resolve("t32.npy"));
    Tensor b64 = Npy.readTensor(dir.resolve("t64.npy"));
    assertEquals(DType.FLOAT32, b32.dtype());
    assertEquals(DType.FLOAT64, b64.dtype());
    assertArrayEquals(new int[] {5, 4}, b32.shape());
    assertArrayEquals(t32.toFloatArray(), b32.toFloatArray());
    assertArrayEquals(t64.toDoubleArray(), b64.toDoubleArray());
  }

  @Test
  void readTensorRefusesIntegersByName() throws IOException {
    Path p = dir.resolve("labels.npy");
    Npy.write(p, new long[] {1, 2}, 2);
    IOException e = assertThrows(IOException.class, () -> Npy.readTensor(p));
    assertTrue(e.getMessage().contains("labels.npy") && e.getMessage().contains("int64"), e.getMessage());
    assertArrayEquals(new int[] {1, 2}, Npy.read(p).toIntArray());
  }

  @Test
  void dataThatDoesNotFillTheShapeIsRefusedBeforeWriting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new float[5], 2, 3));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("(2, 3)"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.npy")));
  }

  @Test
  void largeArraysCrossTheChunkBoundaries() throws IOException {
    int n = (1 << 16) / 8 * 3 + 5; // several 64 KB chunks plus a remainder
    NdArray a = sample(NpyType.INT64, new int[] {n}, 11);
    Npy.write(dir.resolve("big.npy"), a);
    assertEquals(a, Npy.read(dir.resolve("big.npy")));
  }

  @Property(tries = 40)
  void randomShapesAndValuesRoundTrip(
      @ForAll("shapes") int[] shape, @ForAll NpyType type, @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int major)
      throws IOException {
    NdArray a = sample(type, shape, seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, a, major);
    NdArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "prop");
    assertEquals(a, back);
  }

  @Provide
  Arbitrary<int[]> shapes() {
    return Arbitraries.integers().between(0, 9).array(int[].class).ofMinSize(0).ofMaxSize(4)
        .filter(s -> ansatz.autograd.Shape.numel(s) <= 2000);
  }
}
