package dev.herald.notification.web;

import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundMessages.DailyCount;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel's last days as bars for an SVG drawn on the server: sent (bottom) and failed (on top)
 * per day, scaled to the busiest day. Geometry only; the template adds words and colours.
 */
record DeliveryChart(
    Channel channel, List<Bar> bars, long sent, long failed, int width, int height, long max) {

  static final int BAR = 14;
  static final int GAP = 6;
  static final int PLOT_HEIGHT = 120;
  static final int TOP = 10;

  /** One day: its date, counts and the rectangles' y and heights (SVG units). */
  record Bar(
      LocalDate day,
      long sent,
      long failed,
      int x,
      int sentY,
      int sentHeight,
      int failedY,
      int failedHeight,
      boolean labelled) {}

  static DeliveryChart of(Channel channel, List<DailyCount> counts, LocalDate today, int days) {
    Map<LocalDate, DailyCount> byDay = new HashMap<>();
    counts.stream().filter(c -> c.channel() == channel).forEach(c -> byDay.put(c.day(), c));
    long max = 1;
    for (DailyCount c : byDay.values()) {
      max = Math.max(max, c.sent() + c.failed());
    }
    List<Bar> bars = new ArrayList<>(days);
    long sent = 0;
    long failed = 0;
    int bottom = TOP + PLOT_HEIGHT;
    for (int i = 0; i < days; i++) {
      LocalDate day = today.minusDays(days - 1L - i);
      DailyCount c = byDay.get(day);
      long s = c == null ? 0 : c.sent();
      long f = c == null ? 0 : c.failed();
      sent += s;
      failed += f;
      int sentHeight = (int) Math.round((double) s * PLOT_HEIGHT / max);
      int failedHeight = (int) Math.round((double) f * PLOT_HEIGHT / max);
      int x = i * (BAR + GAP);
      bars.add(
          new Bar(
              day,
              s,
              f,
              x,
              bottom - sentHeight,
              sentHeight,
              bottom - sentHeight - failedHeight,
              failedHeight,
              (days - 1 - i) % 7 == 0));
    }
    return new DeliveryChart(channel, bars, sent, failed, days * (BAR + GAP), bottom + 20, max);
  }
}
