package ansatz.nn;

import ansatz.autograd.HookHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Hooks of one kind on one module, in registration order. Each registration gets its own entry, so
 * registering the same lambda twice runs it twice and each handle removes exactly one.
 */
final class HookList<H> {
  private final List<Entry<H>> entries = new ArrayList<>();

  private record Entry<H>(H hook) {}

  HookHandle add(H hook) {
    if (hook == null) throw new IllegalArgumentException("hook is null");
    Entry<H> e = new Entry<>(hook);
    entries.add(e);
    return () -> entries.removeIf(x -> x == e);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** {@return a snapshot, so hooks may remove themselves (or add others) while running} */
  List<H> snapshot() {
    List<H> out = new ArrayList<>(entries.size());
    for (Entry<H> e : entries) out.add(e.hook());
    return out;
  }
}
