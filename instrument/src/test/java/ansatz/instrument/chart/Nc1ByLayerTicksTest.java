package ansatz.instrument.chart;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** Every layer of {@link Charts#nc1ByLayer} gets its name as an x tick label when drawn. */
class Nc1ByLayerTicksTest {
  @TempDir Path tmp;

  @Test
  void everyLayerIsLabelled() {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("X", new double[] {3, 1, 0.3, 0.1, 0.03});
    XYChart c = Charts.nc1ByLayer("t", List.of("1", "2", "3", "4", "5"), s);
    Function<Double, String> names = c.getStyler().getxAxisTickLabelsFormattingFunction();
    Set<String> drawn = new TreeSet<>();
    c.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
      String label = names.apply(v);
      if (!label.isEmpty()) drawn.add(label);
      return label;
    });
    ChartFiles.save(c, tmp, "nc1");
    assertEquals(Set.of("1", "2", "3", "4", "5"), drawn, "labels drawn: " + drawn);
  }
}
