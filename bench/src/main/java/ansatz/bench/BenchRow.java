package ansatz.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of one workload over all rounds, both sides, and the figures derived from them:
 * each side's time is the median of its per-round medians (each round: median over its timed steps).
 */
final class BenchRow {
  final Workload workload;
  /** Ansatz's result line of each round (see {@link WorkloadRunner}). */
  final List<Map<String, Object>> ansatz = new ArrayList<>();
  /** PyTorch's results of each twin bench, one per round. */
  final Map<String, List<TorchSide.Result>> torch = new LinkedHashMap<>();
  /** First failure, if a side failed. */
  String error;

  BenchRow(Workload workload) {
    this.workload = workload;
  }

  String name() {
    return workload.name();
  }

  double ansatzMs() {
    return ansatz.isEmpty() ? Double.NaN : Stats.median(field(ansatz, "median"));
  }

  /** @return median over rounds of the twin's per-round medians */
  double torchMs(String bench) {
    List<TorchSide.Result> rs = torch.get(bench);
    if (rs == null || rs.isEmpty()) return Double.NaN;
    double[] m = new double[rs.size()];
    for (int i = 0; i < m.length; i++) m[i] = rs.get(i).median();
    return Stats.median(m);
  }

  /**
   * @return the PyTorch bench the ratio compares with: the autograd AGOP for agop_mlp (the
   *     target is stated against it), the faster method for patch AGOP, else the only twin
   */
  String torchReference() {
    if (torch.isEmpty()) return null;
    if (name().equals("agop_mlp")) return "agop_mlp_autograd";
    String best = null;
    for (String b : torch.keySet()) if (best == null || torchMs(b) < torchMs(best)) best = b;
    return best;
  }

  double torchMs() {
    String ref = torchReference();
    return ref == null ? Double.NaN : torchMs(ref);
  }

  double ratio() {
    return ansatzMs() / torchMs();
  }

  /** @return true/false when both sides ran and there is a target, else null */
  Boolean targetMet() {
    double t = Targets.maxRatio(name());
    double r = ratio();
    if (Double.isNaN(t) || Double.isNaN(r)) return null;
    return r <= t;
  }

  private double torchGflops() {
    String ref = torchReference();
    if (ref == null) return Double.NaN;
    double gflop = JsonLine.number(torch.get(ref).get(0).raw(), "gflop_per_step");
    if (Double.isNaN(gflop)) gflop = workload.flopPerStep() / 1e9; // gemm_peak.py: 2 N^3
    return gflop / (torchMs() / 1e3);
  }

  private static double[] field(List<Map<String, Object>> rows, String key) {
    double[] v = new double[rows.size()];
    for (int i = 0; i < v.length; i++) v[i] = JsonLine.number(rows.get(i), key);
    return v;
  }

  private static double[] nonEmpty(double[] v) {
    return v.length == 0 ? new double[] {Double.NaN} : v;
  }

  private static double max(double[] v) {
    double m = Double.NaN;
    for (double x : v) if (!Double.isNaN(x)) m = Double.isNaN(m) ? x : Math.max(m, x);
    return m;
  }

  /** @return the row of summary.json */
  Map<String, Object> toJson() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("workload", name());
    d.put("description", workload.description());
    d.put("ansatz_ms", nullIfNaN(ansatzMs()));
    d.put("torch_ms", nullIfNaN(torchMs()));
    d.put("ratio", nullIfNaN(ratio()));
    d.put("ansatz_peak_heap_mb", nullIfNaN(max(field(ansatz, "peak_heap_mb"))));
    d.put("ansatz_live_heap_mb", nullIfNaN(max(field(ansatz, "live_heap_mb"))));
    d.put("ansatz_allocated_mb_per_step", nullIfNaN(Stats.median(nonEmpty(field(ansatz, "allocated_mb_per_step")))));
    d.put("target_max_ratio", nullIfNaN(Targets.maxRatio(name())));
    d.put("target_met", targetMet());
    d.put("torch_reference", torchReference());
    Map<String, Object> twins = new LinkedHashMap<>();
    for (String b : torch.keySet()) twins.put(b, nullIfNaN(torchMs(b)));
    d.put("torch_ms_by_bench", twins);
    d.put("ansatz_gflops", nullIfNaN(workload.flopPerStep() / 1e9 / (ansatzMs() / 1e3)));
    d.put("torch_gflops", nullIfNaN(torchGflops()));
    d.put("torch_peak_rss_mb", nullIfNaN(torchMax(TorchSide.Result::peakRssMb)));
    d.put("ansatz_round_medians_ms", field(ansatz, "median"));
    List<Double> tr = new ArrayList<>();
    String ref = torchReference();
    if (ref != null) for (TorchSide.Result r : torch.get(ref)) tr.add(r.median());
    d.put("torch_round_medians_ms", tr);
    d.put("ansatz_timed_steps", (int) sum(field(ansatz, "reps")));
    d.put("others_cores_max", nullIfNaN(Math.max(nanToZero(max(field(ansatz, "others_cores"))),
        nanToZero(torchMax(TorchSide.Result::othersCores)))));
    if (error != null) d.put("error", error);
    return d;
  }

  private double torchMax(java.util.function.ToDoubleFunction<TorchSide.Result> f) {
    double m = Double.NaN;
    for (List<TorchSide.Result> rs : torch.values()) {
      for (TorchSide.Result r : rs) {
        double x = f.applyAsDouble(r);
        if (!Double.isNaN(x)) m = Double.isNaN(m) ? x : Math.max(m, x);
      }
    }
    return m;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) if (!Double.isNaN(x)) s += x;
    return s;
  }

  private static double nanToZero(double x) {
    return Double.isNaN(x) ? 0 : x;
  }

  private static Double nullIfNaN(double x) {
    return Double.isNaN(x) || Double.isInfinite(x) ? null : x;
  }
}
