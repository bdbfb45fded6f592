/**
 * The Kannel gateway: sendsms over HTTP, delivery reports and inbound SMS called back by smsbox.
 */
package dev.herald.delivery.kannel;
