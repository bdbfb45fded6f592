package dev.herald.shared;

/** An edit based on a version that someone else changed meanwhile; nothing was saved. */
public class StaleEditException extends RuntimeException {

  public StaleEditException(String what) {
    super(what + " was changed meanwhile", null, false, false);
  }
}
