package ansatz.instrument;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One probed number: which layer, which quantity ({@code nfa}, {@code uc_nfa}, {@code c_nfa},
 * {@code weight_change}, {@code agop_alignment}), which variant, its value, and its baseline (the
 * same quantity and variant at initialization; NaN where undefined at init, e.g. anything built
 * from W - W(0), which is 0 there).
 *
 * @param layer the module's dotted name ({@code "model"} for whole-model quantities)
 * @param quantity the quantity's name
 * @param variant the conventions used, or null for quantities without variants (weight_change)
 * @param value the value
 * @param baseline the value at initialization, NaN if unknown or undefined
 */
public record Measurement(String layer, String quantity, NfaVariant variant, double value, double baseline) {
  /** {@return the variant label, {@code "-"} when the quantity has none} */
  public String variantLabel() {
    return variant == null ? "-" : variant.label();
  }

  /** {@return the same measurement with another baseline} */
  public Measurement withBaseline(double b) {
    return new Measurement(layer, quantity, variant, value, b);
  }

  /** {@return the row for metrics.jsonl (without step/epoch): layer, quantity, variant, value, baseline, variant fields} */
  public Map<String, Object> row() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layer", layer);
    m.put("quantity", quantity);
    m.put("variant", variantLabel());
    m.put("value", value);
    m.put("baseline", baseline);
    if (variant != null) m.putAll(variant.fields());
    return m;
  }

  /** {@return the key that pairs a measurement with its baseline} */
  public String key() {
    return layer + "|" + quantity + "|" + variantLabel();
  }
}
