/** The live SMS counter and the SMS text settings page. */
package dev.herald.notification.web;
