package ansatz.autograd.testing;

import ansatz.autograd.Shape;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for tensor properties, shared with the other modules through autograd's test-jar.
 *
 * <p>Shapes have rank 1-4 with sizes from {@link #SIZES}: 1 (broadcasting, squeezing), small sizes,
 * and the sizes around 8 and 16 where vectorised kernels switch between main loop and tail. Their
 * element count is capped ({@link #MAX_NUMEL}) so that a finite-difference check, which evaluates
 * the op twice per input element, stays fast. Shapes shrink towards rank 1 and size 1.
 *
 * <p>Values come from a {@link Domain} and are drawn with jqwik's seeded random, so a failing try
 * is reproduced by the seed jqwik prints.
 */
public final class TensorArbitraries {
  /** Axis sizes: 1, small, and both sides of 8 and 16. */
  public static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17};
  /** Largest element count of a generated shape. */
  public static final int MAX_NUMEL = 400;

  private TensorArbitraries() {}

  /** @return one axis size from {@link #SIZES} */
  public static Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 2, 3, 7, 8, 9, 15, 16, 17);
  }

  /** @return shapes of rank 1-4 with at most {@link #MAX_NUMEL} elements */
  public static Arbitrary<int[]> shapes() {
    return shapes(1, 4, MAX_NUMEL);
  }

  /** @return shapes with rank in [minRank, maxRank] and at most maxNumel elements */
  public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxNumel) {
    // Higher ranks get more weight: more of their draws exceed maxNumel and are filtered out.
    java.util.List<Tuple.Tuple2<Integer, Integer>> ranks = new java.util.ArrayList<>();
    for (int r = minRank; r <= maxRank; r++) ranks.add(Tuple.of(Math.max(r, 1), r));
    return Arbitraries.frequency(ranks)
        .flatMap(rank -> sizes().array(int[].class).ofSize(rank))
        .filter(s -> Shape.numel(s) <= maxNumel);
  }

  /**
   * A shape that broadcasts to {@code full}: half of the time {@code full} itself, otherwise some
   * axes set to 1 and/or some leading axes dropped (possibly all, giving a scalar {@code []}).
   */
  public static Arbitrary<int[]> broadcastableTo(int[] full) {
    int r = full.length;
    Arbitrary<int[]> reduced = Combinators.combine(
            Arbitraries.of(false, true).array(boolean[].class).ofSize(r),
            Arbitraries.integers().between(0, r))
        .as((ones, drop) -> {
          int[] s = new int[r - drop];
          for (int i = drop; i < r; i++) s[i - drop] = ones[i] ? 1 : full[i];
          return s;
        });
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(full.clone())), Tuple.of(1, reduced));
  }

  /**
   * @return two shapes {a, b} that broadcast together: both derived from one random full shape
   *     by {@link #broadcastableTo}, so sizes of 1 and missing leading axes can be on either side
   *     or on both (as in [3, 1] + [4])
   */
  public static Arbitrary<int[][]> broadcastPairs() {
    return shapes().flatMap(full -> Combinators.combine(broadcastableTo(full), broadcastableTo(full)).as((a, b) -> new int[][] {a, b}));
  }

  /** @return data of the given shape with values from {@code domain} */
  public static Arbitrary<TensorData> data(int[] shape, Domain domain) {
    int n = Shape.numel(shape);
    return Arbitraries.randomValue(r -> TensorData.of(shape.clone(), domain.sample(r, n)));
  }

  /** @return data of a random shape ({@link #shapes()}) with values from {@code domain} */
  public static Arbitrary<TensorData> tensors(Domain domain) {
    return shapes().flatMap(s -> data(s, domain));
  }

  /** @return data of a random shape within the given limits, values from {@code domain} */
  public static Arbitrary<TensorData> tensors(int minRank, int maxRank, int maxNumel, Domain domain) {
    return shapes(minRank, maxRank, maxNumel).flatMap(s -> data(s, domain));
  }

  /** @return an axis of a tensor of the given rank, written as 0..rank-1 or as -rank..-1 */
  public static Arbitrary<Integer> axis(int rank) {
    return Combinators.combine(Arbitraries.integers().between(0, rank - 1), Arbitraries.of(false, true))
        .as((a, negative) -> negative ? a - rank : a);
  }

  /**
   * @return a non-empty subset of the axes of a tensor of the given rank, in random order, each
   *     written as positive or negative
   */
  public static Arbitrary<int[]> axisSubsets(int rank) {
    return Combinators.combine(
            Arbitraries.of(false, true).array(boolean[].class).ofSize(rank).filter(TensorArbitraries::any),
            Arbitraries.of(false, true).array(boolean[].class).ofSize(rank),
            Arbitraries.randoms())
        .as((chosen, negative, random) -> {
          int k = 0;
          int[] axes = new int[rank];
          for (int i = 0; i < rank; i++) if (chosen[i]) axes[k++] = negative[i] ? i - rank : i;
          int[] out = java.util.Arrays.copyOf(axes, k);
          for (int i = k - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
          }
          return out;
        });
  }

  /** @return a random permutation of 0..rank-1 */
  public static Arbitrary<int[]> permutations(int rank) {
    Integer[] axes = new Integer[rank];
    for (int i = 0; i < rank; i++) axes[i] = i;
    return Arbitraries.shuffle(axes).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean any(boolean[] b) {
    for (boolean x : b) if (x) return true;
    return false;
  }
}
