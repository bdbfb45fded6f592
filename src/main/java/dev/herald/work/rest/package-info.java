/** The documents REST API: create, read, PDF and send quotes and invoices. */
package dev.herald.work.rest;
