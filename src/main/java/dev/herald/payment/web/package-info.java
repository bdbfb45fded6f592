/**
 * Payment's web side: the providers' webhook endpoints, the sandbox's hosted checkout page and a
 * company's Settings > Payments.
 */
package dev.herald.payment.web;
