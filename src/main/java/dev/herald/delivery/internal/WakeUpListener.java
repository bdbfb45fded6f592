package dev.herald.delivery.internal;

import dev.herald.delivery.OutboundMessages;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs for the enqueue NOTIFY on a connection of its own, outside the Hikari pool (a pooled
 * connection would be lent out, validated and recycled under it), and wakes the workers. When the
 * connection drops it reconnects, and wakes the workers anyway, since a NOTIFY may have been
 * missed.
 */
final class WakeUpListener {

  private static final Logger log = LoggerFactory.getLogger(WakeUpListener.class);
  private static final int WAIT_MILLIS = 1_000;

  private final String url;
  private final Properties credentials;
  private final WorkSignal signal;
  private volatile boolean running;
  private volatile boolean listening;
  private volatile Connection connection;
  private Thread thread;

  WakeUpListener(String url, String user, String password, WorkSignal signal) {
    this.url = url;
    this.credentials = new Properties();
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    credentials.setProperty("ApplicationName", "herald-delivery-listen");
    credentials.setProperty("tcpKeepAlive", "true");
    this.signal = signal;
  }

  synchronized void start() {
    running = true;
    thread = Thread.ofVirtual().name("herald-delivery-listen").start(this::run);
  }

  synchronized void stop() throws InterruptedException {
    running = false;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(5));
    }
  }

  boolean isListening() {
    return listening;
  }

  private void run() {
    Duration retry = Duration.ofMillis(200);
    while (running) {
      try (Connection c = DriverManager.getConnection(url, credentials);
          Statement s = c.createStatement()) {
        connection = c;
        s.execute("LISTEN " + OutboundMessages.WAKE_UP_CHANNEL);
        listening = true;
        retry = Duration.ofMillis(200);
        signal.wakeAll();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            signal.wakeAll();
          }
        }
      } catch (SQLException e) {
        if (running) {
          log.warn(
              "Delivery LISTEN connection lost ({}); reconnecting in {} ms",
              e.getMessage(),
              retry.toMillis());
        }
      } finally {
        listening = false;
        connection = null;
      }
      if (running) {
        signal.wakeAll();
        try {
          Thread.sleep(retry);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        retry =
            retry.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : retry.multipliedBy(2);
      }
    }
  }
}
