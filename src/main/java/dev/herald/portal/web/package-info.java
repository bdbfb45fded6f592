/** The customer portal's pages, opened by a token link. */
package dev.herald.portal.web;
