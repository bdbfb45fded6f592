package dev.herald.delivery.internal;

import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.gateway.SourceAddress;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The source address of each SMS of a claim (SenderRules), from what the claim read with each row:
 * the message's kind and the numbers its company sends from, each on a gateway or on any ({@link
 * DispatchSql#CLAIM}). No statement of its own: the batch is not read a second time.
 */
final class SenderAddresses {

  /** A number a company sends from: on {@code gateway} only, or on any when that is null. */
  record Number(String number, String country, String gateway) {

    boolean usableOn(String gatewayName) {
      return gateway == null || gateway.equals(gatewayName);
    }
  }

  private SenderAddresses() {}

  /**
   * Reads the claim's {@code numbers} column: "number, country, gateway (empty for any)", joined by
   * the unit separator; none when the company has no number.
   */
  static List<Number> numbers(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    List<Number> numbers = new ArrayList<>();
    for (String entry : (String[]) array.getArray()) {
      String[] fields = entry.split("\u001F", 3);
      numbers.add(
          new Number(
              fields[0], fields[1], fields.length < 3 || fields[2].isEmpty() ? null : fields[2]));
    }
    return List.copyOf(numbers);
  }

  /**
   * Per message id, its source address on this gateway; a message missing here goes from its sender
   * name (its company has no number usable on this gateway), or has no usable source at all (its
   * hand-over then says why).
   */
  static Map<UUID, SourceAddress> of(List<DispatchStore.Claimed> claimed, String gateway) {
    Map<UUID, SourceAddress> sources = new HashMap<>();
    for (DispatchStore.Claimed m : claimed) {
      try {
        SourceAddress source = fromNumbers(m, gateway);
        if (source != null) {
          sources.put(m.id(), source);
        }
      } catch (RuntimeException e) {
        // one message's bad data must not stop its batch: left out, it fails alone when handed over
      }
    }
    return sources;
  }

  /** The source address of one message on this gateway: chosen from its numbers, else its name. */
  static SourceAddress of(DispatchStore.Claimed m, String gateway) {
    SourceAddress source = fromNumbers(m, gateway);
    return source != null ? source : SourceAddress.of(m.sender());
  }

  private static SourceAddress fromNumbers(DispatchStore.Claimed m, String gateway) {
    if (m.replyFrom() != null) {
      return replyFrom(m);
    }
    if (m.senderNumbers().isEmpty()) {
      return null;
    }
    List<SenderRules.Number> numbers = new ArrayList<>(m.senderNumbers().size());
    for (Number n : m.senderNumbers()) {
      if (n.usableOn(gateway)) {
        numbers.add(new SenderRules.Number(n.number(), n.country()));
      }
    }
    if (numbers.isEmpty()) {
      return null;
    }
    return SenderRules.choose(m.sender(), OutboundKind.fromCode(m.kind()), m.recipient(), numbers);
  }

  /**
   * The answer to a customer's SMS goes from the number they wrote to (a keyword's answer), written
   * as Herald keeps that number: a carrier may give it without its plus (SMPP's international TON),
   * so it is matched by its digits to the company's numbers and to its sender (the operator's
   * shared default number), and taken as it came when neither has it.
   */
  private static SourceAddress replyFrom(DispatchStore.Claimed m) {
    String raw = m.replyFrom().strip();
    if (raw.startsWith("+")) {
      return SourceAddress.of(raw);
    }
    String digits = raw.replaceAll("[^0-9]", "");
    for (Number n : m.senderNumbers()) {
      if (!digits.isEmpty() && n.number().replaceAll("[^0-9]", "").equals(digits)) {
        return SourceAddress.of(n.number());
      }
    }
    String sender = m.sender() == null ? "" : m.sender().strip();
    if (sender.matches("\\+[0-9 ]+") && sender.replaceAll("[^0-9]", "").equals(digits)) {
      return SourceAddress.of("+" + digits);
    }
    return SourceAddress.of(raw);
  }
}
