package dev.herald.delivery.smpp;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The 8-bit concatenation references in use per recipient while a multi-part message's parts are in
 * flight on this node: a handset joins parts by (sender, reference), so two messages to one
 * recipient must not share one. The message's own reference is taken when free (so a re-submit
 * keeps it), else the next free one.
 */
final class ConcatenationReferences {

  private final Map<String, BitSet> inUse = new HashMap<>();

  synchronized int acquire(String recipient, int preferred) {
    BitSet used = inUse.computeIfAbsent(recipient, r -> new BitSet(256));
    for (int k = 0; k < 256; k++) {
      int candidate = (preferred + k) & 0xFF;
      if (!used.get(candidate)) {
        used.set(candidate);
        return candidate;
      }
    }
    // 256 multi-part messages to one number in flight at once: nothing unique is left.
    return preferred & 0xFF;
  }

  synchronized void release(String recipient, int reference) {
    BitSet used = inUse.get(recipient);
    if (used != null) {
      used.clear(reference);
      if (used.isEmpty()) {
        inUse.remove(recipient);
      }
    }
  }

  synchronized int inFlight(String recipient) {
    BitSet used = inUse.get(recipient);
    return used == null ? 0 : used.cardinality();
  }
}
