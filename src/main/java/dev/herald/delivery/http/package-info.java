/**
 * The HTTP provider gateway: a JSON REST SMS provider (send with an API key; status callbacks and
 * inbound SMS as webhooks signed with HMAC-SHA256).
 */
package dev.herald.delivery.http;
