package dev.herald.delivery.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes idle workers: a generation counter, so a wake-up between two waits is not lost. */
final class WorkSignal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long generation;

  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  void wakeAll() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until woken after {@code seen} or the timeout passes; returns the generation now. */
  long await(long seen, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (generation == seen && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the timeout (or a wake-up); used to back off after errors and when throttled. */
  void pause(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
  }
}
