package dev.herald.shared;

/** No such thing in this company; also the answer for another company's ids (never 403). */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String what) {
    super(what + " not found", null, false, false);
  }
}
