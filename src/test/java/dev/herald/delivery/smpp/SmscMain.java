package dev.herald.delivery.smpp;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The test SMSC in a process of its own, for proofs that kill a Herald: it prints {@code
 * SMSC_PORT=n} once listening, and appends one line per submit_sm it accepts (the destination,
 * which the tests make unique per message, and the bind) to the file given, written and flushed
 * before the answer goes back, so a Herald killed while waiting for the answer cannot hide a
 * submission. Args: the record file, then the delay before each answer in milliseconds (keeps the
 * window full).
 */
public final class SmscMain {

  private SmscMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Duration delay = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 0);
    BufferedWriter out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    TestSmsc smsc = new TestSmsc();
    smsc.delay = delay;
    smsc.answers =
        submit -> {
          synchronized (out) {
            try {
              out.write(submit.getDestAddress());
              out.write('\n');
              out.flush();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
          return new TestSmsc.Answer.Id(smsc.nextId());
        };
    System.out.println("SMSC_PORT=" + smsc.port);
    System.out.flush();
    new CountDownLatch(1).await(); // until the test kills the process
  }
}
