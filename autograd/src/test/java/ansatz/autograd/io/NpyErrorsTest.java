package ansatz.autograd.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken files built byte by byte in Java: each failure names the source and the problem. */
class NpyErrorsTest {
  @TempDir Path dir;

  private static byte[] good() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, NdArray.of(new float[12], 3, 4));
    return out.toByteArray();
  }

  /** A version-1 file with a hand-written header dict. */
  private static byte[] withHeader(String dict, int dataBytes) {
    byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = new byte[10 + text.length + dataBytes];
    System.arraycopy(Npy.MAGIC, 0, b, 0, 6);
    b[6] = 1;
    b[8] = (byte) text.length;
    b[9] = (byte) (text.length >> 8);
    System.arraycopy(text, 0, b, 10, text.length);
    return b;
  }

  private static String fail(byte[] bytes) {
    return assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(bytes), "x.npy")).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    assertTrue(message.startsWith("x.npy: "), message);
    for (String p : parts) assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
  }

  @Test
  void truncatedDataSaysHowMuchWasExpectedAndFound() throws IOException {
    byte[] g = good();
    byte[] cut = java.util.Arrays.copyOf(g, g.length - 48 + 20);
    assertEquals("x.npy: truncated: header says shape (3, 4) float32 = 48 bytes, found 20", fail(cut));
  }

  @Test
  void truncatedHeader() throws IOException {
    assertMentions(fail(java.util.Arrays.copyOf(good(), 30)), "truncated", "header length says 118 bytes, found 20");
    assertMentions(fail(java.util.Arrays.copyOf(good(), 9)), "truncated", "header length");
    assertMentions(fail(java.util.Arrays.copyOf(good(), 7)), "truncated", "version");
  }

  @Test
  void badMagicAndEmptyFile() throws IOException {
    byte[] b = good();
    b[5] = 'Z';
    assertMentions(fail(b), "not a .npy file", "NUMPZ", "\\x93NUMPY");
    assertMentions(fail(new byte[0]), "not a .npy file", "only 0 bytes");
  }

  @Test
  void unknownVersion() throws IOException {
    byte[] b = good();
    b[6] = 4;
    assertMentions(fail(b), "unsupported .npy format version 4.0");
    b[6] = 1;
    b[7] = 1;
    assertMentions(fail(b), "version 1.1");
  }

  @Test
  void trailingBytesAfterTheData() throws IOException {
    byte[] g = good();
    assertMentions(fail(java.util.Arrays.copyOf(g, g.length + 3)), "3 unexpected bytes", "(3, 4) float32 (48 bytes)");
  }

  @Test
  void fortranOrderIsRefused() {
    assertMentions(fail(withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 32)), "fortran_order is True", "C order");
  }

  @Test
  void fortranOrderOfAVectorIsTheSameLayoutAndAccepted() throws IOException {
    byte[] b = withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2, 1), }", 16);
    b[b.length - 1] = 0x40; // 2.0 as the last double
    assertArrayEquals(new double[] {0, 2}, Npy.read(new ByteArrayInputStream(b), "x.npy").doubles());
  }

  @Test
  void unsupportedTypesAreNamed() {
    assertMentions(fail(withHeader("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 16)), "unsupported dtype '<c16'", "<f4, <f8, <i4, <i8");
    assertMentions(fail(withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4)), "unsupported dtype '>f4'", "big-endian");
    assertMentions(fail(withHeader("{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }", 4)), "unsupported dtype '|f4'");
    assertMentions(fail(withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4)), "unsupported dtype", "structured");
  }

  @Test
  void nativeOrderIsReadAsLittleEndian() throws IOException {
    byte[] b = withHeader("{'descr': '=i4', 'fortran_order': False, 'shape': (1,), }", 4);
    b[b.length - 4] = 7;
    NdArray a = Npy.read(new ByteArrayInputStream(b), "x.npy");
    assertEquals(NpyType.INT32, a.type());
    assertEquals(7, a.ints()[0]);
  }

  @Test
  void malformedHeadersAreQuoted() {
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order' False, 'shape': (1,), }", 4)), "malformed header", "expected ':'", "'fortran_order' False");
    assertMentions(fail(withHeader("{'descr': '<f4', 'shape': (1,), }", 4)), "header keys", "fortran_order");
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", 4)), "header keys", "extra");
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4)), "'shape' entry 0 is -1");
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", 4)), "'fortran_order' is 0");
    assertMentions(fail(withHeader("[1, 2]", 4)), "header is not a dict");
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ", 4)), "unterminated dict");
  }

  @Test
  void headerVariantsNumpyMayWriteAreAccepted() throws IOException {
    // Key order, double quotes, Python 2 longs, a list for the shape, no trailing comma.
    byte[] b = withHeader("{\"shape\": [2L, 1L], 'descr': \"<f8\", 'fortran_order': False}", 16);
    NdArray a = Npy.read(new ByteArrayInputStream(b), "x.npy");
    assertArrayEquals(new int[] {2, 1}, a.shape());
  }

  @Test
  void mismatchedShapeIsATruncation() {
    // Shape (2, 5) needs 40 float32 bytes but only 36 follow.
    assertEquals("x.npy: truncated: header says shape (2, 5) float32 = 40 bytes, found 36",
        fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }", 36)));
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }", 48)), "8 unexpected bytes");
  }

  @Test
  void hugeShapesAreRefusedWithoutAllocating() {
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", 0)), "more elements than a Java array holds");
    assertMentions(fail(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 99999999999), }", 0)), "more elements than a Java array holds");
  }

  @Test
  void fileErrorsNameThePath() throws IOException {
    Path p = dir.resolve("weights.npy");
    Files.write(p, java.util.Arrays.copyOf(good(), 70));
    IOException e = assertThrows(IOException.class, () -> Npy.read(p));
    assertTrue(e.getMessage().startsWith(p + ": truncated"), e.getMessage());
  }
}
