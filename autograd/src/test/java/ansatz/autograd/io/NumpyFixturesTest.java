package ansatz.autograd.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by NumPy itself (made by src/test/python/make_npy_fixtures.py) read correctly, and
 * NumPy's broken files fail with clear messages. Values follow the script's formulas.
 */
class NumpyFixturesTest {
  static Path fixture(String name) {
    try {
      var url = NumpyFixturesTest.class.getResource("/npy/" + name);
      assertNotNull(url, "missing test resource npy/" + name + " (run make_npy_fixtures.py)");
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The script's float formula: (i - 3) * 0.25 + 1/3, rounded to the stored type. */
  private static double floatValue(int i) {
    return (i - 3) * 0.25 + 1.0 / 3;
  }

  /** The script's int formula, with a value beyond 32 bits first for int64. */
  private static long intValue(int i, NpyType type) {
    if (type == NpyType.INT64 && i == 0) return -(1L << 40) - 7;
    return (long) (i - 3) * 1000003;
  }

  private static void assertValues(NdArray a, NpyType type, int[] shape, String what) {
    assertEquals(type, a.type(), what);
    assertArrayEquals(shape, a.shape(), what);
    for (int i = 0; i < a.numel(); i++) {
      switch (type) {
        case FLOAT32 -> assertEquals((float) floatValue(i), a.floats()[i], what + " [" + i + "]");
        case FLOAT64 -> assertEquals(floatValue(i), a.doubles()[i], what + " [" + i + "]");
        case INT32 -> assertEquals((int) intValue(i, type), a.ints()[i], what + " [" + i + "]");
        case INT64 -> assertEquals(intValue(i, type), a.longs()[i], what + " [" + i + "]");
      }
    }
  }

  @Test
  void everyTypeShapeAndVersionWrittenByNumpy() throws IOException {
    Map<String, int[]> shapes = Map.of("2x3", new int[] {2, 3}, "scalar", new int[] {}, "empty", new int[] {0, 4},
        "vec5", new int[] {5}, "2x1x3", new int[] {2, 1, 3}, "2x3_v2", new int[] {2, 3});
    int checked = 0;
    for (NpyType type : NpyType.values()) {
      for (var e : shapes.entrySet()) {
        String name = type + "_" + e.getKey() + ".npy";
        assertValues(Npy.read(fixture(name)), type, e.getValue(), name);
        checked++;
      }
    }
    assertValues(Npy.read(fixture("float32_2x3_v3.npy")), NpyType.FLOAT32, new int[] {2, 3}, "v3");
    assertEquals(24, checked);
  }

  @Test
  void javaWritesTheSameBytesAsNumpy() throws IOException {
    // Same header text, padding and data: NumPy's own files are the reference.
    for (String name : List.of("float32_2x3.npy", "float64_vec5.npy", "int64_scalar.npy", "int32_empty.npy")) {
      NdArray a = Npy.read(fixture(name));
      var out = new java.io.ByteArrayOutputStream();
      Npy.write(out, a);
      byte[] numpy = Files.readAllBytes(fixture(name));
      byte[] ours = out.toByteArray();
      // NumPy >= 1.23 adds spare spaces for growing the first axis; compare the dict and the data.
      String nh = headerDict(numpy), jh = headerDict(ours);
      assertEquals(nh, jh, name);
      assertArrayEquals(java.util.Arrays.copyOfRange(numpy, numpy.length - dataLen(a), numpy.length),
          java.util.Arrays.copyOfRange(ours, ours.length - dataLen(a), ours.length), name);
    }
  }

  private static int dataLen(NdArray a) {
    return a.numel() * a.type().bytes();
  }

  private static String headerDict(byte[] file) {
    int len = (file[8] & 0xff) | (file[9] & 0xff) << 8;
    return new String(file, 10, len, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
  }

  @Test
  void savezAndSavezCompressedKeepOrderAndValues() throws IOException {
    for (String name : List.of("savez.npz", "savez_compressed.npz")) {
      Map<String, NdArray> m = Npz.read(fixture(name));
      assertEquals(List.of("w", "b", "labels", "counts", "s", "none"), List.copyOf(m.keySet()), name);
      assertValues(m.get("w"), NpyType.FLOAT32, new int[] {3, 4}, name + " w");
      assertValues(m.get("b"), NpyType.FLOAT64, new int[] {4}, name + " b");
      assertValues(m.get("labels"), NpyType.INT64, new int[] {6}, name + " labels");
      assertValues(m.get("counts"), NpyType.INT32, new int[] {2, 2}, name + " counts");
      assertValues(m.get("s"), NpyType.FLOAT64, new int[] {}, name + " s");
      assertValues(m.get("none"), NpyType.FLOAT32, new int[] {0}, name + " none");
    }
    assertEquals(List.of("arr_0", "arr_1"), List.copyOf(Npz.read(fixture("savez_positional.npz")).keySet()));
  }

  private static String fail(String name) {
    Path p = fixture(name);
    IOException e = assertThrows(IOException.class, () -> {
      if (name.endsWith(".npz")) Npz.read(p);
      else Npy.read(p);
    }, name);
    assertTrue(e.getMessage().startsWith(p.toString()), "message names the file: " + e.getMessage());
    return e.getMessage();
  }

  private static void assertContains(String message, String part) {
    assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
  }

  @Test
  void brokenFilesMadeByNumpyFailClearly() {
    assertContains(fail("bad_truncated.npy"), "truncated: header says shape (3, 4) float32 = 48 bytes, found 20");
    assertContains(fail("bad_truncated_header.npy"), "truncated");
    assertContains(fail("bad_magic.npy"), "not a .npy file");
    assertContains(fail("bad_version.npy"), "version 4.0");
    assertContains(fail("bad_trailing.npy"), "4 unexpected bytes");
    assertContains(fail("bad_fortran.npy"), "fortran_order is True");
    assertContains(fail("bad_complex.npy"), "unsupported dtype '<c16'");
    assertContains(fail("bad_bigendian.npy"), "unsupported dtype '>f4'");
    assertContains(fail("bad_structured.npy"), "structured");
    assertContains(fail("bad_shape_mismatch.npy"), "8 unexpected bytes after the data of shape (2, 5) float32");
    assertContains(fail("bad_header_syntax.npy"), "malformed header");
    assertContains(fail("bad_not_zip.npz"), "not a valid .npz");
    assertContains(fail("bad_entry_truncated.npz"), "entry 'cut.npy': truncated");
    assertContains(fail("bad_entry_not_npy.npz"), "entry 'notes.txt': not a .npy array");
  }
}
