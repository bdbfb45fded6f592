package dev.herald.delivery.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.simulator.*}: the built-in SMS simulator.
 *
 * @param receipts whether it reports what it accepted as delivered, like a carrier's receipts
 * @param receiptDelay how long after accepting it does
 */
@ConfigurationProperties("herald.delivery.simulator")
record SimulatorSettings(
    @DefaultValue("true") boolean receipts, @DefaultValue("2s") Duration receiptDelay) {}
