package ansatz.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment produced: its configuration, its claims, the charts it drew and how long it
 * took. Written to {@code results/NAME/summary.json} and collected into {@code results/REPORT.md}.
 */
public final class ExperimentResult {
  private final String experiment;
  private final Map<String, Object> config = new LinkedHashMap<>();
  private final List<Claim> claims = new ArrayList<>();
  private final List<Path> charts = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private double seconds = Double.NaN;

  /** @param experiment the experiment's name */
  public ExperimentResult(String experiment) {
    this.experiment = experiment;
  }

  /** Records a configuration value. @return this */
  public ExperimentResult config(String key, Object value) {
    config.put(key, value);
    return this;
  }

  /** Adds a claim. @return this */
  public ExperimentResult claim(Claim c) {
    claims.add(c);
    return this;
  }

  /** Adds a chart file (relative to the experiment's directory or absolute). @return this */
  public ExperimentResult chart(Path p) {
    charts.add(p);
    return this;
  }

  /** Adds a free-text note shown in the report (e.g. which dataset was used and why). @return this */
  public ExperimentResult note(String s) {
    notes.add(s);
    return this;
  }

  /** Sets the wall time. @return this */
  public ExperimentResult seconds(double s) {
    this.seconds = s;
    return this;
  }

  /** @return the experiment name */
  public String experiment() {
    return experiment;
  }

  /** @return the configuration, in insertion order */
  public Map<String, Object> config() {
    return config;
  }

  /** @return the claims */
  public List<Claim> claims() {
    return claims;
  }

  /** @return the charts */
  public List<Path> charts() {
    return charts;
  }

  /** @return the notes */
  public List<String> notes() {
    return notes;
  }

  /** @return wall time in seconds */
  public double seconds() {
    return seconds;
  }

  /** @return true if every claim holds */
  public boolean allHold() {
    return claims.stream().allMatch(Claim::holds);
  }
}
