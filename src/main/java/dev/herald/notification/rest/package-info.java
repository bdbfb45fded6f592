/** The SMS text preview over REST. */
package dev.herald.notification.rest;
