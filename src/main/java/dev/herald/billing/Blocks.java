package dev.herald.billing;

/**
 * Block arithmetic of the monthly model (H1): one block is paid ahead, each started one more after.
 */
public final class Blocks {

  private Blocks() {}

  /** Blocks started by {@code used} SMS: 0 for none, 1 for 1..size, 2 for size+1..2*size, ... */
  public static long started(long used, int blockSize) {
    if (used < 0 || blockSize < 1) {
      throw new IllegalArgumentException("used >= 0 and block size >= 1");
    }
    return used == 0 ? 0 : (used - 1) / blockSize + 1;
  }

  /** Blocks billed after the period on top of the one paid ahead: 0 up to one block's worth. */
  public static long overage(long used, int blockSize) {
    return Math.max(0, started(used, blockSize) - 1);
  }
}
