package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.SubmitResult;
import java.util.Map;

/**
 * What a negative submit_sm_resp means for the message: the SMSC is busy (try later, and slow
 * down), or it refuses this message for good. Codes not listed (vendor-specific 0x400..) count as
 * transient: a retry costs little and ends in a failure after the dispatcher's last attempt, while
 * a wrong permanent reading would drop a message that could have gone.
 */
final class SmppErrors {

  private SmppErrors() {}

  static final int ESME_RTHROTTLED = 0x58;
  static final int ESME_RMSGQFUL = 0x14;

  private record Meaning(String name, boolean permanent) {}

  private static final Map<Integer, Meaning> KNOWN =
      Map.ofEntries(
          Map.entry(0x01, new Meaning("ESME_RINVMSGLEN", true)),
          Map.entry(0x02, new Meaning("ESME_RINVCMDLEN", true)),
          Map.entry(0x03, new Meaning("ESME_RINVCMDID", true)),
          Map.entry(0x04, new Meaning("ESME_RINVBNDSTS", false)),
          Map.entry(0x05, new Meaning("ESME_RALYBND", false)),
          Map.entry(0x08, new Meaning("ESME_RSYSERR", false)),
          Map.entry(0x0A, new Meaning("ESME_RINVSRCADR", true)),
          Map.entry(0x0B, new Meaning("ESME_RINVDSTADR", true)),
          Map.entry(0x0C, new Meaning("ESME_RINVMSGID", true)),
          Map.entry(ESME_RMSGQFUL, new Meaning("ESME_RMSGQFUL", false)),
          Map.entry(0x15, new Meaning("ESME_RINVSERTYP", true)),
          Map.entry(0x33, new Meaning("ESME_RINVNUMDESTS", true)),
          Map.entry(0x40, new Meaning("ESME_RINVDESTFLAG", true)),
          Map.entry(0x42, new Meaning("ESME_RINVSUBREP", true)),
          Map.entry(0x43, new Meaning("ESME_RINVESMCLASS", true)),
          Map.entry(0x45, new Meaning("ESME_RSUBMITFAIL", false)),
          Map.entry(0x48, new Meaning("ESME_RINVSRCTON", true)),
          Map.entry(0x49, new Meaning("ESME_RINVSRCNPI", true)),
          Map.entry(0x50, new Meaning("ESME_RINVDSTTON", true)),
          Map.entry(0x51, new Meaning("ESME_RINVDSTNPI", true)),
          Map.entry(0x53, new Meaning("ESME_RINVSYSTYP", true)),
          Map.entry(0x54, new Meaning("ESME_RINVREPFLAG", true)),
          Map.entry(0x55, new Meaning("ESME_RINVNUMMSGS", true)),
          Map.entry(ESME_RTHROTTLED, new Meaning("ESME_RTHROTTLED", false)),
          Map.entry(0x61, new Meaning("ESME_RINVSCHED", true)),
          Map.entry(0x62, new Meaning("ESME_RINVEXPIRY", true)),
          Map.entry(0x63, new Meaning("ESME_RINVDFTMSGID", true)),
          Map.entry(0x64, new Meaning("ESME_RX_T_APPN", false)),
          Map.entry(0x65, new Meaning("ESME_RX_P_APPN", true)),
          Map.entry(0x66, new Meaning("ESME_RX_R_APPN", true)),
          Map.entry(0x67, new Meaning("ESME_RQUERYFAIL", false)),
          Map.entry(0xC0, new Meaning("ESME_RINVOPTPARSTREAM", true)),
          Map.entry(0xC1, new Meaning("ESME_ROPTPARNOTALLWD", true)),
          Map.entry(0xC2, new Meaning("ESME_RINVPARLEN", true)),
          Map.entry(0xC3, new Meaning("ESME_RMISSINGOPTPARAM", true)),
          Map.entry(0xC4, new Meaning("ESME_RINVOPTPARAMVAL", true)),
          Map.entry(0xFE, new Meaning("ESME_RDELIVERYFAILURE", false)),
          Map.entry(0xFF, new Meaning("ESME_RUNKNOWNERR", false)));

  /** The SMSC asks us to slow down: the bind pauses before it submits again. */
  static boolean isThrottling(int status) {
    return status == ESME_RTHROTTLED || status == ESME_RMSGQFUL;
  }

  /** The name of a command_status, e.g. {@code ESME_RINVDSTADR}, or {@code SMPP_0x00000401}. */
  static String name(int status) {
    Meaning m = KNOWN.get(status);
    return m != null ? m.name() : "SMPP_0x%08X".formatted(status);
  }

  /** A negative submit_sm_resp as the dispatcher's outcome. */
  static SubmitResult result(int status) {
    Meaning m = KNOWN.get(status);
    String name = name(status);
    if (m != null && m.permanent()) {
      return new SubmitResult.PermanentFailure(name, "the SMSC refused the message: " + name);
    }
    return new SubmitResult.TransientFailure(name, "the SMSC could not take it now: " + name);
  }
}
