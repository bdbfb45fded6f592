/** The contact's thread and its reply box. */
package dev.herald.conversation.web;
