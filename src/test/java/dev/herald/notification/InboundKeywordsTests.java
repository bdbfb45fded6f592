package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.notification.InboundKeywords.Keyword;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which inbound texts are keywords, and which are replies. */
class InboundKeywordsTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "STOP",
        "stop",
        "Stop!",
        "  stop.  ",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "Revoke",
        "optout",
        "OPT-OUT",
        "opt out",
        "ARRET",
        "Arrêt",
        "arrêt !",
        "AFMELD",
        "Afmeld.",
        "\"STOP\"",
        "🛑 STOP 🛑",
        "\u00a0STOP\u00a0",
        "\u3000stop\u3000",
        "opt\u00a0out",
        // full-width letters, as a Japanese or Chinese keyboard writes them
        "ＳＴＯＰ",
        "ｓｔｏｐ！",
        "Arre\u0302t"
      })
  void a_message_that_is_only_a_stop_word_opts_out(String text) {
    assertThat(InboundKeywords.of(text)).isEqualTo(Keyword.STOP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "start", "Start!", "UNSTOP", "unstop."})
  void start_and_unstop_opt_back_in(String text) {
    assertThat(InboundKeywords.of(text)).isEqualTo(Keyword.START);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Stop texting me", "Please stop", "STOP STOP", "stopp", "Can I cancel my appointment?",
        "The end", "", "   ", "Ja", "STOP1"
      })
  void anything_more_is_a_reply(String text) {
    assertThat(InboundKeywords.of(text)).isEqualTo(Keyword.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HELP", "help?", " Help "})
  void help_asks_for_the_companys_details(String text) {
    assertThat(InboundKeywords.of(text)).isEqualTo(Keyword.HELP);
  }
}
