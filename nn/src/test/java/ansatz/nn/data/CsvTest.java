package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  @Test
  void integerLastColumnGivesClassification() throws IOException {
    Path f = write("iris.csv", "a,b,class\n1.5,2,0\n\n-3,4e-1,2\n5,6,1\n");
    Dataset ds = Csv.load(f);
    assertEquals("iris", ds.name());
    assertEquals(3, ds.size());
    assertEquals(3, ds.numClasses());
    assertArrayEquals(new int[] {0, 2, 1}, ds.labels());
    assertArrayEquals(new float[] {1.5f, 2, -3, 0.4f, 5, 6}, ds.inputs().toFloatArray());
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, ds.targets().toFloatArray());
  }

  @Test
  void labelByNameOrIndexAndQuotedHeader() throws IOException {
    Path f = write("t.csv", "\"y\",x1,\"x, two\"\n0.5,1,2\n1.5,3,4\n");
    Dataset byName = Csv.load(f, Csv.Options.defaults().withLabel("y"));
    Dataset byIndex = Csv.load(f, Csv.Options.defaults().withLabel("0"));
    for (Dataset ds : new Dataset[] {byName, byIndex}) {
      assertFalse(ds.isClassification(), "0.5 is not an integer -> regression");
      assertArrayEquals(new float[] {1, 2, 3, 4}, ds.inputs().toFloatArray());
      assertArrayEquals(new float[] {0.5f, 1.5f}, ds.targets().toFloatArray());
      assertArrayEquals(new int[] {2, 1}, ds.targets().shape());
    }
    Dataset byQuotedName = Csv.load(f, Csv.Options.defaults().withLabel("x, two").regression());
    assertArrayEquals(new float[] {2, 4}, byQuotedName.targets().toFloatArray());
  }

  @Test
  void forcedRegressionAndNegativeLabelsRenumbered() throws IOException {
    Path f = write("pm.csv", "x,y\n1,-1\n2,1\n3,1\n");
    Dataset cls = Csv.load(f);
    assertArrayEquals(new int[] {0, 1, 1}, cls.labels());
    assertEquals(2, cls.numClasses());
    Dataset reg = Csv.load(f, Csv.Options.defaults().regression().withDType(DType.FLOAT64));
    assertNull(reg.labels());
    assertEquals(DType.FLOAT64, reg.inputs().dtype());
    assertArrayEquals(new double[] {-1, 1, 1}, reg.targets().toDoubleArray());
  }

  @Test
  void nonNumericCellNamesFileLineAndColumn() throws IOException {
    Path f = write("bad.csv", "a,b,y\n1,2,0\n\n3,oops,1\n");
    var e = assertThrows(DataException.class, () -> Csv.load(f));
    assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 4") && e.getMessage().contains("column 1")
        && e.getMessage().contains("'b'") && e.getMessage().contains("oops"), e.getMessage());
  }

  @Test
  void raggedRowNamesTheLine() throws IOException {
    Path f = write("ragged.csv", "a,b,y\n1,2,0\n3,4,1\n5,1\n");
    var e = assertThrows(DataException.class, () -> Csv.load(f));
    assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("2 values") && e.getMessage().contains("3 columns"),
        e.getMessage());
  }

  @Test
  void otherMalformedInputs() throws IOException {
    assertTrue(assertThrows(DataException.class, () -> Csv.load(write("e.csv", ""))).getMessage().contains("empty"));
    assertTrue(assertThrows(DataException.class, () -> Csv.load(write("h.csv", "a,y\n"))).getMessage().contains("no data rows"));
    var empty = assertThrows(DataException.class, () -> Csv.load(write("c.csv", "a,y\n1,\n")));
    assertTrue(empty.getMessage().contains("line 2") && empty.getMessage().contains("empty cell"), empty.getMessage());
    var nan = assertThrows(DataException.class, () -> Csv.load(write("n.csv", "a,y\nNaN,1\n")));
    assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
    var quote = assertThrows(DataException.class, () -> Csv.load(write("q.csv", "a,y\n\"1,1\n")));
    assertTrue(quote.getMessage().contains("line 2") && quote.getMessage().contains("quoted"), quote.getMessage());
    var col = assertThrows(DataException.class, () -> Csv.load(write("l.csv", "a,y\n1,1\n"), Csv.Options.defaults().withLabel("z")));
    assertTrue(col.getMessage().contains("'z'") && col.getMessage().contains("[a, y]"), col.getMessage());
    var idx = assertThrows(DataException.class, () -> Csv.load(write("i.csv", "a,y\n1,1\n"), Csv.Options.defaults().withLabel("5")));
    assertTrue(idx.getMessage().contains("5"), idx.getMessage());
    var missing = assertThrows(DataException.class, () -> Csv.load(dir.resolve("absent.csv")));
    assertTrue(missing.getMessage().contains("absent.csv"), missing.getMessage());
    var many = assertThrows(DataException.class, () -> Csv.load(write("m.csv", "a,y\n1,5000\n")));
    assertTrue(many.getMessage().contains("regression") && many.getMessage().contains("line 2"), many.getMessage());
  }

  @Test
  void loadSplitHoldsOutTwentyPercentAndStandardizesOnTrainOnly() throws IOException {
    StringBuilder sb = new StringBuilder("x1,x2,y\n");
    for (int i = 0; i < 50; i++) sb.append(i).append(',').append(i * i % 7).append(',').append(i % 3).append('\n');
    Path f = write("s.csv", sb.toString());
    Split s = Csv.loadSplit(f, Map.of("seed", "3"));
    assertEquals(40, s.train().size());
    assertEquals(10, s.test().size());
    double[] x = s.train().inputs().toDoubleArray();
    for (int j = 0; j < 2; j++) {
      double mean = 0, sq = 0;
      for (int i = 0; i < 40; i++) mean += x[2 * i + j] / 40;
      for (int i = 0; i < 40; i++) sq += Math.pow(x[2 * i + j] - mean, 2) / 40;
      assertEquals(0, mean, 1e-5);
      assertEquals(1, sq, 1e-4);
    }
    Split same = Csv.loadSplit(f, Map.of("seed", "3"));
    assertArrayEquals(s.test().inputs().toFloatArray(), same.test().inputs().toFloatArray());
    Split raw = Csv.loadSplit(f, Map.of("seed", "3", "standardize", "false", "test-fraction", "0.5"));
    assertEquals(25, raw.test().size());
    var e = assertThrows(IllegalArgumentException.class, () -> Csv.loadSplit(f, Map.of("lable", "y")));
    assertTrue(e.getMessage().contains("lable") && e.getMessage().contains("label"), e.getMessage());
  }
}
