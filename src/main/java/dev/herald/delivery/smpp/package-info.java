/** The SMPP 3.4 gateway (jSMPP): binds, windowed submits, delivery receipts and inbound SMS. */
package dev.herald.delivery.smpp;
