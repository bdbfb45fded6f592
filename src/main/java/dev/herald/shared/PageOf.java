package dev.herald.shared;

import java.util.List;

/** One page of a longer list: items, zero-based page number, page size and the total count. */
public record PageOf<T>(List<T> items, int page, int size, long total) {

  public int pages() {
    return (int) Math.max(1, (total + size - 1) / size);
  }

  public boolean hasNext() {
    return page + 1 < pages();
  }

  public boolean hasPrevious() {
    return page > 0;
  }
}
