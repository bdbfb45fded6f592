/** The built-in SMS simulator: a fake carrier for the embedded default and for tests. */
package dev.herald.delivery.simulator;
