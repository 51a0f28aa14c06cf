package ansatz.instrument.record;

import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link FeatureProbes} set measures, on which layers, how often and on which samples.
 * Immutable; make one with {@link #builder()}:
 *
 * <pre>{@code
 * ProbeConfig cfg = ProbeConfig.builder().everyEpochs(1).probeSamples(2000).build();   // the defaults
 * ProbeConfig cfg = ProbeConfig.builder().layers("0", "2").quantities(Quantity.NFA, Quantity.WEIGHT_CHANGE)
 *     .everySteps(50).gradCentered(true).build();
 * }</pre>
 *
 * Defaults: every Linear/Conv2d layer; NFM, AGOP (patch AGOP for conv), PTF_K, NFA, UC_NFA, C_NFA,
 * WEIGHT_CHANGE, and AGOP_ALIGNMENT when the training data knows its true AGOP; every epoch; 2000
 * training samples drawn with seed 0 (all of them if there are fewer); uncentered gradients only;
 * snapshots on.
 */
public final class ProbeConfig {
  /** Whether {@link #every()} counts epochs or optimizer steps. */
  public enum Unit {
    /** after every N-th epoch */
    EPOCHS,
    /** after every N-th optimizer step */
    STEPS
  }

  static final Set<Quantity> DEFAULT_QUANTITIES = EnumSet.of(Quantity.NFM, Quantity.AGOP, Quantity.PATCH_AGOP, Quantity.PTF_K,
      Quantity.NFA, Quantity.UC_NFA, Quantity.C_NFA, Quantity.WEIGHT_CHANGE, Quantity.AGOP_ALIGNMENT);
  static final int DEFAULT_PROBE_SAMPLES = 2000;

  private final List<String> layers;
  private final Set<Quantity> quantities;
  private final boolean quantitiesGiven;
  private final Unit unit;
  private final int every;
  private final int probeSamples;
  private final boolean probeSamplesGiven;
  private final long probeSeed;
  private final int batchSize;
  private final boolean gradCentered;
  private final boolean divideNfmByRows;
  private final boolean snapshots;
  private final boolean compressSnapshots;
  private final int snapshotEvery;
  private final boolean deferInitProbe;
  private final int gramSamples;
  private final int maxMatrixSize;
  private final Tensor referenceAgop;
  private final String referenceName;

  private ProbeConfig(Builder b) {
    this.layers = List.copyOf(b.layers);
    this.quantities = b.quantities == null ? EnumSet.copyOf(DEFAULT_QUANTITIES) : EnumSet.copyOf(b.quantities);
    this.quantitiesGiven = b.quantities != null;
    this.unit = b.unit;
    this.every = b.every;
    this.probeSamples = b.probeSamples;
    this.probeSamplesGiven = b.probeSamplesGiven;
    this.probeSeed = b.probeSeed;
    this.batchSize = b.batchSize;
    this.gradCentered = b.gradCentered;
    this.divideNfmByRows = b.divideNfmByRows;
    this.snapshots = b.snapshots;
    this.compressSnapshots = b.compressSnapshots;
    this.snapshotEvery = b.snapshotEvery;
    this.deferInitProbe = b.deferInitProbe;
    this.gramSamples = b.gramSamples;
    this.maxMatrixSize = b.maxMatrixSize;
    this.referenceAgop = b.referenceAgop;
    this.referenceName = b.referenceName;
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the defaults} */
  public static ProbeConfig defaults() {
    return builder().build();
  }

  /** {@return the dotted names of the layers to probe; empty = every Linear/Conv2d layer} */
  public List<String> layers() {
    return layers;
  }

  /** {@return what to record} */
  public Set<Quantity> quantities() {
    return EnumSet.copyOf(quantities);
  }

  /** {@return whether the quantities were chosen explicitly (then each must apply to every chosen layer)} */
  public boolean quantitiesGiven() {
    return quantitiesGiven;
  }

  /** {@return whether {@code q} is recorded} */
  public boolean has(Quantity q) {
    return quantities.contains(q);
  }

  /** {@return the unit of {@link #every()}} */
  public Unit unit() {
    return unit;
  }

  /** {@return probe after every N-th epoch or step} */
  public int every() {
    return every;
  }

  /** {@return the probe subset size} */
  public int probeSamples() {
    return probeSamples;
  }

  /** {@return whether the probe subset size was set explicitly (then it must not exceed the data)} */
  public boolean probeSamplesGiven() {
    return probeSamplesGiven;
  }

  /** {@return the seed that draws the probe subset} */
  public long probeSeed() {
    return probeSeed;
  }

  /** {@return samples per forward/backward pass of the AGOP computation} */
  public int batchSize() {
    return batchSize;
  }

  /** {@return whether the gradient-centered variants are recorded too (uncentered ones always are)} */
  public boolean gradCentered() {
    return gradCentered;
  }

  /** {@return whether snapshot NFMs are divided by the number of rows} */
  public boolean divideNfmByRows() {
    return divideNfmByRows;
  }

  /** {@return whether snapshots are written} */
  public boolean snapshots() {
    return snapshots;
  }

  /** {@return a snapshot is written at every this-many-th probe (counting the one at init as 0) and at the last} */
  public int snapshotEvery() {
    return snapshotEvery;
  }

  /** {@return whether snapshot entries are deflated} */
  public boolean compressSnapshots() {
    return compressSnapshots;
  }

  /** {@return whether the probe of the initial weights is taken with the first scheduled probe (see {@link Builder#deferInitProbe})} */
  public boolean deferInitProbe() {
    return deferInitProbe;
  }

  /** {@return samples of the PTK Gram (used when PTK_GRAM is recorded)} */
  public int gramSamples() {
    return gramSamples;
  }

  /** {@return the largest matrix side written to a snapshot (bigger input-side matrices are skipped and listed in the summary)} */
  public int maxMatrixSize() {
    return maxMatrixSize;
  }

  /** {@return the reference AGOP for AGOP_ALIGNMENT instead of the data's true AGOP, or null} */
  public Tensor referenceAgop() {
    return referenceAgop;
  }

  /** {@return the name written with the reference ("true_agop" for the data's)} */
  public String referenceName() {
    return referenceName;
  }

  /** {@return the settings as a map for summaries} */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layers", layers.isEmpty() ? "all Linear/Conv2d" : layers);
    m.put("quantities", quantities.stream().map(Quantity::label).toList());
    m.put("every", every);
    m.put("unit", unit.name().toLowerCase(java.util.Locale.ROOT));
    m.put("probe_samples", probeSamples);
    m.put("probe_seed", probeSeed);
    m.put("batch_size", batchSize);
    m.put("grad_centered_variants", gradCentered);
    m.put("correlations", List.of("pearson", "cosine"));
    m.put("alphas", List.of(0.5, 1.0));
    m.put("default_report", "nfa pearson,alpha=0.5,init_removed=false,grad_centered=false (alpha=1 beside it)");
    m.put("nfm_divided_by_rows", divideNfmByRows);
    m.put("snapshots", snapshots);
    if (snapshots && snapshotEvery > 1) m.put("snapshot_every_probes", snapshotEvery);
    m.put("init_probe", deferInitProbe ? "of the weights at the start, computed with the first scheduled probe" : "at the start");
    if (has(Quantity.PTK_GRAM)) m.put("gram_samples", gramSamples);
    if (referenceAgop != null) m.put("reference_agop", referenceName);
    return m;
  }

  /** Collects the options of a {@link ProbeConfig}. */
  public static final class Builder {
    private final List<String> layers = new ArrayList<>();
    private Set<Quantity> quantities;
    private Unit unit = Unit.EPOCHS;
    private int every = 1;
    private int probeSamples = DEFAULT_PROBE_SAMPLES;
    private boolean probeSamplesGiven;
    private long probeSeed;
    private int batchSize = 500;
    private boolean gradCentered;
    private boolean divideNfmByRows;
    private boolean snapshots = true;
    private boolean compressSnapshots;
    private int snapshotEvery = 1;
    private boolean deferInitProbe = true;
    private int gramSamples = 200;
    private int maxMatrixSize = 4096;
    private Tensor referenceAgop;
    private String referenceName = "true_agop";

    private Builder() {}

    /** Probe only these layers (dotted module names, e.g. "0", "features.3"). @return this */
    public Builder layers(String... names) {
      for (String n : names) {
        if (n == null) throw new IllegalArgumentException("ProbeConfig: layer name is null");
        layers.add(n);
      }
      return this;
    }

    /** Record only these quantities (each must apply to every chosen layer). @return this */
    public Builder quantities(Quantity... qs) {
      if (qs.length == 0) throw new IllegalArgumentException("ProbeConfig: choose at least one quantity");
      quantities = EnumSet.noneOf(Quantity.class);
      for (Quantity q : qs) {
        if (q == null) throw new IllegalArgumentException("ProbeConfig: quantity is null");
        quantities.add(q);
      }
      return this;
    }

    /** Probe after every {@code n}-th epoch (the default, n = 1). @return this */
    public Builder everyEpochs(int n) {
      return every(n, Unit.EPOCHS);
    }

    /** Probe after every {@code n}-th optimizer step. @return this */
    public Builder everySteps(int n) {
      return every(n, Unit.STEPS);
    }

    private Builder every(int n, Unit u) {
      if (n <= 0) throw new IllegalArgumentException("ProbeConfig: probe interval must be positive, got " + n);
      this.every = n;
      this.unit = u;
      return this;
    }

    /** Probe on {@code n} training samples (must not exceed the training set). @return this */
    public Builder probeSamples(int n) {
      if (n <= 0) throw new IllegalArgumentException("ProbeConfig: probe sample count must be positive, got " + n);
      this.probeSamples = n;
      this.probeSamplesGiven = true;
      return this;
    }

    /** The seed that draws the probe subset (default 0). @return this */
    public Builder probeSeed(long seed) {
      this.probeSeed = seed;
      return this;
    }

    /** Samples per forward/backward pass of the AGOP computation (default 500). @return this */
    public Builder batchSize(int b) {
      if (b <= 0) throw new IllegalArgumentException("ProbeConfig: batch size must be positive, got " + b);
      this.batchSize = b;
      return this;
    }

    /** Also record the gradient-centered variants (default off). @return this */
    public Builder gradCentered(boolean on) {
      this.gradCentered = on;
      return this;
    }

    /** Divide snapshot NFMs by the number of rows (default off; correlations ignore the scale). @return this */
    public Builder divideNfmByRows(boolean on) {
      this.divideNfmByRows = on;
      return this;
    }

    /** Write snapshots at init and at every probe (default on). @return this */
    public Builder snapshots(boolean on) {
      this.snapshots = on;
      return this;
    }

    /**
     * Writes a snapshot only at every {@code k}-th probe: the one at initialization, probes k, 2k,
     * ..., and always the last probe of the run (default 1: every probe). The metrics rows are
     * written at every probe either way. @return this
     */
    public Builder snapshotEvery(int k) {
      if (k <= 0) throw new IllegalArgumentException("ProbeConfig: snapshotEvery must be positive, got " + k);
      this.snapshotEvery = k;
      return this;
    }

    /**
     * When to compute the probe at initialization (default true: deferred). It always measures the
     * weights the model has when training starts (copied then), and its rows carry step 0 and
     * epoch 0 and its snapshot the tag of step or epoch 0 either way. Deferred, it is computed just
     * before the first scheduled probe (or at the end of training, if that comes first): the
     * numbers are the same (tested bit for bit), but by then the JIT has compiled the float32 GEMM
     * that training shares with the probes. On the Fashion-MNIST MLP the init probe took 3.7-4.1 s
     * at the very start and takes 1.3-1.6 s deferred, a warm probe about 0.9 s (see
     * results/bench/probe-overhead.md). Until then {@code FeatureProbes.history()} is empty, and
     * a run that fails before that point has no init probe. Turn it off to have the init probe's
     * values at once, e.g. for a listener that reads them during the first epoch. @return this
     */
    public Builder deferInitProbe(boolean on) {
      this.deferInitProbe = on;
      return this;
    }

    /** Deflate snapshot entries (default off: faster, bigger). @return this */
    public Builder compressSnapshots(boolean on) {
      this.compressSnapshots = on;
      return this;
    }

    /** Samples of the PTK Gram when PTK_GRAM is recorded (default 200). @return this */
    public Builder gramSamples(int m) {
      if (m <= 0) throw new IllegalArgumentException("ProbeConfig: gram sample count must be positive, got " + m);
      this.gramSamples = m;
      return this;
    }

    /** Largest matrix side written to snapshots (default 4096). @return this */
    public Builder maxMatrixSize(int n) {
      if (n <= 0) throw new IllegalArgumentException("ProbeConfig: max matrix size must be positive, got " + n);
      this.maxMatrixSize = n;
      return this;
    }

    /** Align with this AGOP (e.g. another model's) instead of the data's true AGOP. @return this */
    public Builder referenceAgop(String name, Tensor agop) {
      if (agop == null || agop.dim() != 2 || agop.size(0) != agop.size(1)) {
        throw new IllegalArgumentException("ProbeConfig: the reference AGOP must be a square matrix");
      }
      this.referenceAgop = agop.detach().toFloat64();
      this.referenceName = name == null ? "reference" : name;
      return this;
    }

    /** {@return the configuration} */
    public ProbeConfig build() {
      if (quantities != null && quantities.contains(Quantity.PTK_GRAM) && gramSamples > probeSamples && probeSamplesGiven) {
        throw new IllegalArgumentException("ProbeConfig: gram samples (" + gramSamples + ") exceed the probe samples (" + probeSamples + ")");
      }
      return new ProbeConfig(this);
    }
  }
}
