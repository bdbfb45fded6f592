/**
 * Payment's machinery: the provider SPI and its registry, the payments table and state machine, the
 * webhook inbox, the sandbox and Stripe providers, bank transfers, sealed provider keys.
 */
package dev.herald.payment.internal;
