/** The documents pages: list, create, edit, view, PDF, the send window and document settings. */
package dev.herald.work.web;
