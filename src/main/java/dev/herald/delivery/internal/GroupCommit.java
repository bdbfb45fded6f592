package dev.herald.delivery.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what many threads hand in as one statement per batch, and completes each hand-over once
 * its batch committed: a carrier's deliver_sm is acknowledged only after its receipt is stored,
 * without a transaction (and an fsync) per receipt.
 */
final class GroupCommit<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private record Item<T>(T value, CompletableFuture<Void> done) {}

  private final LinkedBlockingQueue<Item<T>> queue = new LinkedBlockingQueue<>();
  private final Consumer<List<T>> writer;
  private final int maxBatch;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;

  GroupCommit(String name, int maxBatch, Consumer<List<T>> writer) {
    this.name = name;
    this.maxBatch = maxBatch;
    this.writer = writer;
    this.thread = Thread.ofVirtual().name("herald-" + name).start(this::loop);
  }

  CompletableFuture<Void> add(List<T> values) {
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException(name + " is stopped"));
    }
    List<CompletableFuture<Void>> all = new ArrayList<>(values.size());
    for (T value : values) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      queue.add(new Item<>(value, done));
      all.add(done);
    }
    return all.size() == 1
        ? all.getFirst()
        : CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private void loop() {
    List<Item<T>> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, maxBatch - 1);
      try {
        writer.accept(batch.stream().map(Item::value).toList());
        batch.forEach(i -> i.done().complete(null));
      } catch (RuntimeException e) {
        log.warn("{}: could not store {} item(s): {}", name, batch.size(), e.toString());
        batch.forEach(i -> i.done().completeExceptionally(e));
      }
      batch.clear();
    }
    for (Item<T> i; (i = queue.poll()) != null; ) {
      i.done().completeExceptionally(new IllegalStateException(name + " stopped"));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
