/** E-mail gateways: SMTP through Spring Mail, and the embedded default's mail sink. */
package dev.herald.delivery.mail;
