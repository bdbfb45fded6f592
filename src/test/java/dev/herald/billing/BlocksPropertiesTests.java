package dev.herald.billing;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BlocksPropertiesTests {

  /** The plain reference: count blocks one by one until they hold the usage. */
  static long referenceOverage(long used, int blockSize) {
    long blocksHoldingUsage = 0;
    while (blocksHoldingUsage * blockSize < used) {
      blocksHoldingUsage++;
    }
    // The first block is paid ahead, so only the blocks after it are overage.
    return Math.max(0, blocksHoldingUsage - 1);
  }

  @Example
  void the_seed_examples_with_blocks_of_500() {
    assertThat(Blocks.overage(0, 500)).isZero();
    assertThat(Blocks.overage(500, 500)).isZero();
    assertThat(Blocks.overage(501, 500)).isEqualTo(1);
    assertThat(Blocks.overage(1_000, 500)).isEqualTo(1);
    assertThat(Blocks.overage(1_001, 500)).isEqualTo(2);
    assertThat(Blocks.overage(1_200, 500)).isEqualTo(2);
  }

  @Property(tries = 2000)
  void overage_matches_the_reference_up_to_a_million(
      @ForAll @LongRange(min = 0, max = 1_000_000) long used) {
    assertThat(Blocks.overage(used, 500)).isEqualTo(referenceOverage(used, 500));
  }

  @Property(tries = 500)
  void overage_matches_the_reference_for_any_block_size(
      @ForAll @LongRange(min = 0, max = 1_000_000) long used,
      @ForAll @IntRange(min = 100, max = 5_000) int blockSize) {
    assertThat(Blocks.overage(used, blockSize)).isEqualTo(referenceOverage(used, blockSize));
  }
}
