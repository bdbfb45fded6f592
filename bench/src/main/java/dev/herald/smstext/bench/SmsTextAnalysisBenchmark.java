package dev.herald.smstext.bench;

import dev.herald.smstext.SmsTexts;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Texts analysed per second, for typical 1, 2 and 3 segment texts of each kind, against two
 * references that do far less: UTF-16BE bytes, and a length divided by 153.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SmsTextAnalysisBenchmark {

  private static final int TEXTS_PER_KIND = 3;

  @Param({"gsm-english", "english-curly-quotes", "danish", "french-c-cedilla", "emoji"})
  public String kind;

  private String[] texts;

  @Setup
  public void chooseTexts() {
    texts =
        switch (kind) {
          case "gsm-english" ->
              growing(
                  "Hi Anna, this is a reminder of your appointment with Dr. Hansen on Tuesday 14 May"
                      + " at 10:30. Reply YES to confirm or call 555 0100 to change it.",
                  " Please bring your insurance card and arrive 10 minutes early. Parking is free"
                      + " behind the building; the entrance is on Mill Street {door B}.",
                  " If you cannot come, cancel at least 24 hours before, otherwise we charge a fee"
                      + " of 25 EUR [€25]. Thank you and see you soon - Hansen Clinic");
          case "english-curly-quotes" ->
              growing(
                  "Hi Anna, it\u2019s a reminder of your appointment with Dr. Hansen on Tuesday 14"
                      + " May at 10:30 \u2013 reply \u201CYES\u201D to confirm\u2026",
                  " Please bring your insurance card and arrive 10 minutes early. Parking is free"
                      + " behind the building; the entrance is on Mill Street\u00A0B.",
                  " If you can\u2019t come, cancel at least 24 hours before, otherwise we charge a"
                      + " fee of 25 EUR. Thank you and see you soon \u2014 Hansen Clinic");
          case "danish" ->
              growing(
                  "Hej Søren! Din tid hos tandlægen er på fredag kl. 14:30. Svar JA for at bekræfte"
                      + " eller ring på 70 10 20 30. Mvh Åse, Ærø Tandklinik",
                  " Husk at aflyse senest 24 timer før, ellers opkræver vi et gebyr på 200 kr."
                      + " Vi glæder os til at se dig. Parkering er gratis ved Østergade.",
                  " Har du spørgsmål, så skriv til os på klinik@aeroe.dk. Åbningstider: mandag til"
                      + " fredag 8-16. Venlig hilsen Ærø Tandklinik ØÆÅ");
          case "french-c-cedilla" ->
              growing(
                  "Bonjour Cécile, votre leçon est confirmée à 10h. Répondez OUI.",
                  " Merci de prévenir 24h à l'avance. La fête commence à 18h.",
                  " Ça se passe au 3e étage, reçu à l'accueil. À très bientôt !");
          case "emoji" ->
              growing(
                  "See you tomorrow at 10:30 \uD83D\uDE00 Reply YES to confirm \uD83D\uDC4D",
                  " Bring your card \uD83D\uDCB3 and arrive early \u23F0 parking is free",
                  " Thanks for choosing us \uD83C\uDF89\uD83C\uDF89 - Hansen Clinic \uD83C\uDFE5");
          default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    for (int i = 0; i < texts.length; i++) {
      int segments = SmsTexts.analyze(texts[i], true).segments();
      if (segments != i + 1) {
        throw new IllegalStateException(
            "%s text %d has %d segments, %d expected".formatted(kind, i, segments, i + 1));
      }
    }
  }

  private static String[] growing(String first, String second, String third) {
    return new String[] {first, first + second, first + second + third};
  }

  @Benchmark
  @OperationsPerInvocation(TEXTS_PER_KIND)
  public void analyze(Blackhole blackhole) {
    for (String text : texts) {
      blackhole.consume(SmsTexts.analyze(text, false));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TEXTS_PER_KIND)
  public void analyzeWithSmartEncoding(Blackhole blackhole) {
    for (String text : texts) {
      blackhole.consume(SmsTexts.analyze(text, true));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TEXTS_PER_KIND)
  public void referenceUtf16Bytes(Blackhole blackhole) {
    for (String text : texts) {
      blackhole.consume(text.getBytes(StandardCharsets.UTF_16BE));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TEXTS_PER_KIND)
  public void referenceLengthDividedBy153(Blackhole blackhole) {
    for (String text : texts) {
      blackhole.consume((text.length() + 152) / 153);
    }
  }
}
