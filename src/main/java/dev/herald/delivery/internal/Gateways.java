package dev.herald.delivery.internal;

import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.SmsGateway;
import java.util.List;
import java.util.stream.Collectors;

/** The SMS and e-mail gateway this node uses, chosen by name from configuration at start-up. */
final class Gateways {

  private final SmsGateway sms;
  private final EmailGateway email;
  private final java.util.Map<String, SmsGateway> smsByName = new java.util.LinkedHashMap<>();
  private volatile java.util.Map<String, SmsGateway> consoleByName = java.util.Map.of();

  Gateways(
      List<SmsGateway> smsGateways,
      String smsName,
      List<EmailGateway> emailGateways,
      String emailName) {
    this.sms =
        smsGateways.stream()
            .filter(g -> g.name().equals(smsName))
            .findFirst()
            .orElseThrow(() ->
                new IllegalStateException(
                    "herald.delivery.sms.gateway="
                        + smsName
                        + " but the SMS gateways are "
                        + smsGateways.stream()
                            .map(SmsGateway::name)
                            .collect(Collectors.joining(", "))));
    smsGateways.forEach(g -> smsByName.putIfAbsent(g.name(), g));
    this.email =
        emailGateways.stream()
            .filter(g -> g.name().equals(emailName))
            .findFirst()
            .orElseThrow(() ->
                new IllegalStateException(
                    "herald.delivery.email.gateway="
                        + emailName
                        + " but the e-mail gateways are "
                        + emailGateways.stream()
                            .map(EmailGateway::name)
                            .collect(Collectors.joining(", "))
                        + (emailName.equals("smtp") ? " (smtp needs spring.mail.host)" : "")));
  }

  SmsGateway sms() {
    return sms;
  }

  /**
   * An SMS gateway by name (routing, G2); none for a name this node does not run (a console gateway
   * removed meanwhile): never another gateway in its place.
   */
  java.util.Optional<SmsGateway> sms(String name) {
    SmsGateway configured = smsByName.get(name);
    return java.util.Optional.ofNullable(configured != null ? configured : consoleByName.get(name));
  }

  /** The gateways configured on the operator console that this node runs now (by name). */
  void useConsole(java.util.Map<String, SmsGateway> gateways) {
    this.consoleByName = java.util.Map.copyOf(gateways);
  }

  /** Every SMS gateway's name set by configuration, in its order. */
  java.util.Set<String> smsNames() {
    return java.util.Collections.unmodifiableSet(smsByName.keySet());
  }

  EmailGateway email() {
    return email;
  }
}
