package ansatz.autograd.ops;

import ansatz.autograd.Tensor;

/** Comparisons giving 0/1 masks in the promoted type. Masks carry no gradient. */
public final class Compare {
  private Compare() {}

  /** @return the mask of {@code a op b} for op one of gt, ge, lt, le, eq, ne */
  public static Tensor apply(String op, Tensor a, Tensor b) {
    return switch (op) {
      case "gt" -> Elementwise.map2(op, a, b, (x, y) -> x > y ? 1 : 0);
      case "ge" -> Elementwise.map2(op, a, b, (x, y) -> x >= y ? 1 : 0);
      case "lt" -> Elementwise.map2(op, a, b, (x, y) -> x < y ? 1 : 0);
      case "le" -> Elementwise.map2(op, a, b, (x, y) -> x <= y ? 1 : 0);
      case "eq" -> Elementwise.map2(op, a, b, (x, y) -> x == y ? 1 : 0);
      case "ne" -> Elementwise.map2(op, a, b, (x, y) -> x != y ? 1 : 0);
      default -> throw new IllegalArgumentException("compare: unknown comparison '" + op + "'");
    };
  }
}
