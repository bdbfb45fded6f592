/** The gateway SPI: how the dispatcher hands SMS and e-mail to a carrier, a provider or a fake. */
package dev.herald.delivery.gateway;
