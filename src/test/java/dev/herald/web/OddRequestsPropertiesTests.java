package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.HeraldApplication;
import dev.herald.support.RawHttp;
import dev.herald.support.RawHttp.Answer;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a scanner, a broken client or an attacker sends, over a real socket: malformed cookies,
 * headers, paths, encodings, methods and sizes at the public pages, the UI (logged in and not) and
 * the API. Never a 5xx; every API error is problem details; and nothing of it is logged above INFO
 * or with a stack trace, since it is the client's mistake.
 */
class OddRequestsPropertiesTests {

  static final String KEY = "hk_test_demo_key_0123456789abcdefghijklmnop";
  static final JsonMapper json = JsonMapper.builder().build();

  static ConfigurableApplicationContext herald;
  static int port;
  static String session;
  static ListAppender<ILoggingEvent> log;

  @BeforeContainer
  static void startHerald() throws Exception {
    herald =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties("server.port=0", "herald.delivery.worker-enabled=false")
            // A bug on purpose, to check that a server's own fault is still logged as one. A
            // functional route, so that no other test's component scan finds it.
            .initializers(context ->
                ((GenericApplicationContext) context)
                    .registerBean(
                        "aBug",
                        RouterFunction.class,
                        () ->
                            RouterFunctions.route()
                                .GET(
                                    "/api/v1/a-bug",
                                    request -> {
                                      throw new IllegalStateException("a bug on purpose");
                                    })
                                .build()))
            .run();
    port = Integer.parseInt(herald.getEnvironment().getProperty("local.server.port"));
    session = logIn();
    log = new ListAppender<>();
    log.start();
    root().addAppender(log);
  }

  /** The session cookie of the demo's owner, logged in. */
  static String logIn() throws Exception {
    HttpResponse<String> loggedIn =
        new WebSession()
            .logIn("http://localhost:" + port, "owner@demo.herald.test", demoPassword());
    assertThat(loggedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
    String session =
        loggedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("SESSION="))
            .map(c -> c.substring(0, c.indexOf(';')))
            .findFirst()
            .orElseThrow();
    Answer contacts = send("GET", "/contacts", null, "Accept: text/html", "Cookie: " + session);
    assertThat(contacts.status()).as("logged in").isEqualTo(200);
    return session;
  }

  static String demoPassword() {
    return herald.getEnvironment().getProperty("herald.demo.password");
  }

  static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @AfterContainer
  static void stopHerald() {
    root().detachAppender(log);
    herald.close();
  }

  /** After each request: nothing logged above INFO, and no stack trace at all. */
  @AfterTry
  void nothingAlarmingWasLogged() {
    List<ILoggingEvent> events = new ArrayList<>(log.list);
    log.list.clear();
    List<String> alarming =
        events.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
            .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
            .collect(Collectors.toList());
    assertThat(alarming).isEmpty();
  }

  // --- the requests the issue lists ---------------------------------------------------------

  @Example
  void malformed_language_cookies_are_ignored_and_replaced() {
    for (String cookie :
        List.of("%00", "%20", "..%2F..", "e%3Bn", "fr%0Ax", "", "de", "x".repeat(300))) {
      for (String path : List.of("/login", "/api/v1/company", "/")) {
        Answer answer =
            send(
                "GET",
                path,
                null,
                "Cookie: herald-lang=" + cookie,
                "Accept-Language: fr",
                path.startsWith("/api/") ? "Accept: application/json" : "Accept: text/html");
        assertThat(answer.status()).as(cookie + " " + path).isIn(200, 302);
        if (!cookie.equals("de") && path.equals("/login")) {
          // Replaced by the language the page was answered in (Accept-Language: fr).
          assertThat(answer.head()).as(cookie + " " + path).contains("herald-lang=fr");
        }
      }
    }
    Answer login = send("GET", "/login", null, "Cookie: herald-lang=%00", "Accept-Language: da");
    assertThat(login.body()).contains("lang=\"da\"");
  }

  @Example
  void the_error_page_asked_directly_does_not_exist() {
    assertThat(send("GET", "/error", null).status()).isEqualTo(404);
    assertThat(send("POST", "/error", new byte[0]).status()).isBetween(400, 499);
    Answer json = send("GET", "/error", null, "Accept: application/json");
    assertThat(json.status()).isEqualTo(404);
  }

  @Example
  void what_tomcat_refuses_is_problem_details_in_the_request_language() {
    assertApiProblem(
        send("GET", "/api/v1/messages", null, "Accept-Language: fr", "Idempotency-Key: a\u0001b"),
        400,
        "Requête incorrecte");
    assertApiProblem(
        send("POST", "/api/v1/messages", new byte[0], "Idempotency-Key: a\u0000b"), 400, null);
    assertApiProblem(
        send("GET", "/api/v1/contacts/%00", null, "Accept-Language: da"),
        400,
        "Ugyldig forespørgsel");
    assertApiProblem(send("GET", "/api/v1/contacts/%2F", null), 400, null);
    assertApiProblem(send("GET", "/api/v1/contacts?x=" + "a".repeat(1_000_000), null), 400, null);
    assertApiProblem(send("GET", "/api/v1/contacts", null, "Transfer-Encoding: gzip"), 400, null);
    Answer version =
        RawHttp.send(
            port, bytes("GET /api/v1/contacts HTTP/2.5\r\nHost: x\r\nConnection: close\r\n\r\n"));
    assertApiProblem(version, 400, null);
  }

  @Example
  void what_spring_refuses_is_problem_details_too() {
    assertApiProblem(
        send("GET", "/api/v1/contacts?query=%FF%FE", null, "Accept-Language: da"),
        400,
        "Ugyldig forespørgsel");
    assertApiProblem(send("GET", "/api/v1//contacts", null), 400, null);
    assertApiProblem(send("GET", "/api/v1/contacts;x=1", null), 400, null);
    assertApiProblem(send("GET", "/api/v1/%2e%2e/contacts", null), 400, null);
    // The property's sample "/;%": a path parameter Spring's own path parsing cannot decode.
    assertApiProblem(send("GET", "/api/v1/contacts;%", null), 400, null);
    assertApiProblem(send("GET", "/api/v1/contacts", null, "Accept: ///"), 406, null);
    assertApiProblem(send("GET", "/api/v1/nothing", null, "Accept: ///"), 404, null);
    assertApiProblem(send("GET", "/api/v1/contacts", null, "Accept: text/html"), null, null);
    assertApiProblem(
        send("DELETE", "/api/v1/contacts", null, "Accept-Language: fr"),
        405,
        "Méthode non autorisée");
    assertApiProblem(
        send(
            "POST",
            "/api/v1/contacts",
            bytes("a=" + "b".repeat(3_000_000)),
            "Content-Type: application/x-www-form-urlencoded"),
        413,
        null);
  }

  /**
   * The property's shrunk sample: {@code Accept: \u0085} (it printed as an empty value). Tomcat
   * lets a C1 control character through, Spring Security's firewall refuses it when the header is
   * first read, and its refusal was a 400 without a body; the same for an empty or malformed {@code
   * Accept}, with or without an empty language cookie, on every API error.
   */
  @Example
  void empty_or_malformed_accept_headers_still_get_problem_details_on_every_api_error()
      throws Exception {
    String session = logIn();
    for (String cookie : List.of("", "herald-lang=", "herald-lang=%00")) {
      for (String accept :
          List.of("", "\u0085", "x\u0085y", "///", "*/*;q=x", ";", "\u00efs\u00e8")) {
        boolean refused = accept.indexOf('\u0085') >= 0;
        String[] common = {"Cookie: " + cookie, "Accept: " + accept, "Accept-Language: da"};
        List<Object[]> cases =
            List.of(
                new Object[] {401, "GET", "/api/v1/contacts", null, null, null},
                new Object[] {404, "GET", "/api/v1/nothing", null, null, KEY},
                new Object[] {404, "GET", "/api/v1/contacts/not-a-uuid", null, null, KEY},
                new Object[] {405, "DELETE", "/api/v1/contacts", null, null, KEY},
                new Object[] {415, "POST", "/api/v1/contacts", "text/plain", "x", KEY},
                new Object[] {422, "POST", "/api/v1/contacts", "application/json", "{}", KEY},
                new Object[] {null, "GET", "/api/v1/contacts", null, null, KEY});
        for (Object[] c : cases) {
          List<String> headers = new ArrayList<>(List.of(common));
          if (c[5] != null) {
            headers.add("Authorization: Bearer " + c[5]);
          }
          if (c[3] != null) {
            headers.add("Content-Type: " + c[3]);
          }
          byte[] body = c[4] == null ? null : bytes((String) c[4]);
          Answer answer =
              RawHttp.send(
                  port,
                  RawHttp.request(
                      (String) c[1], (String) c[2], body, headers.toArray(String[]::new)));
          String what = c[1] + " " + c[2] + " [" + cookie + "] [" + visible(accept) + "]";
          if (c[0] == null && !refused && answer.status() == 200) {
            continue; // An Accept that allows JSON: the contacts, not an error.
          }
          // A refused Accept is a 400 where it is read; errors found before (401, 405) stand.
          assertApiProblem(answer, refused || c[0] == null ? null : (Integer) c[0], null);
          if (refused) {
            assertThat(answer.status()).as(what).isIn(400, c[0]);
          }
          if (answer.status() == 400) {
            assertThat(json.readTree(answer.body()).path("title").asString())
                .as(what)
                .isEqualTo("Ugyldig forespørgsel");
          }
        }
        for (String page : List.of("/login", "/contacts")) {
          Answer answer =
              send(
                  "GET",
                  page,
                  null,
                  "Cookie: " + cookie + "; " + session,
                  "Accept: " + accept,
                  "Accept-Language: da");
          String what = page + " [" + cookie + "] [" + visible(accept) + "]";
          assertThat(answer.status()).as(what).isLessThan(500);
          if (refused) {
            assertThat(answer.status()).as(what).isEqualTo(400);
            assertThat(answer.contentType()).as(what).startsWith("text/html");
            assertThat(answer.body()).as(what).contains("lang=\"da\"");
          }
        }
      }
    }
  }

  @Example
  void malformed_path_ids_are_404_in_the_api_and_the_ui() throws Exception {
    String session = logIn();
    assertApiProblem(send("GET", "/api/v1/contacts/not-a-uuid", null), 404, null);
    assertApiProblem(send("GET", "/api/v1/messages/12", null), 404, null);
    Answer page =
        send("GET", "/contacts/not-a-uuid", null, "Accept: text/html", "Cookie: " + session);
    assertThat(page.status()).isEqualTo(404);
    assertThat(page.contentType()).startsWith("text/html");
  }

  @Example
  void unreadable_parameters_and_huge_forms_on_pages_are_4xx_pages() {
    Answer login = send("GET", "/login?x=%FF", null, "Accept: text/html");
    assertThat(login.status()).isEqualTo(400);
    assertThat(login.contentType()).startsWith("text/html");
    Answer form =
        send(
            "POST",
            "/login",
            bytes("username=a&password=" + "b".repeat(3_000_000)),
            "Content-Type: application/x-www-form-urlencoded",
            "Accept: text/html");
    assertThat(form.status()).isEqualTo(413);
    Answer path = send("GET", "/;%", null, "Accept: text/html");
    assertThat(path.status()).isEqualTo(400);
    assertThat(path.contentType()).startsWith("text/html");
  }

  @Example
  void a_server_fault_is_still_a_500_logged_at_error_with_its_trace() {
    Answer answer = send("GET", "/api/v1/a-bug", null, "Accept-Language: fr");
    assertApiProblem(answer, 500, "Erreur interne");
    List<ILoggingEvent> errors =
        log.list.stream()
            .filter(e -> e.getLevel() == Level.ERROR && e.getThrowableProxy() != null)
            .toList();
    assertThat(errors)
        .anySatisfy(e -> assertThat(causes(e.getThrowableProxy())).contains("a bug on purpose"));
    log.list.clear();
  }

  // --- generated requests -------------------------------------------------------------------

  @Property(tries = 150)
  void odd_paths_and_methods_never_answer_5xx(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("credentials") String credentials) {
    Answer answer = send(method, path, method.equals("GET") ? null : new byte[0], credentials);
    assertNo5xx(answer, path);
  }

  @Property(tries = 150)
  void odd_cookies_and_headers_never_answer_5xx(
      @ForAll("targets") String path,
      @ForAll("cookies") String cookie,
      @ForAll("headers") String header) {
    Answer answer =
        send("GET", path, null, "Cookie: " + cookie, header, "Authorization: Bearer " + KEY);
    assertNo5xx(answer, path);
  }

  @Property(tries = 100)
  void odd_bodies_encodings_and_sizes_never_answer_5xx(
      @ForAll("targets") String path,
      @ForAll("contentTypes") String contentType,
      @ForAll("bodies") byte[] body) {
    Answer answer =
        send(
            "POST",
            path,
            body,
            "Content-Type: " + contentType,
            "Authorization: Bearer " + KEY,
            "Cookie: " + session);
    assertNo5xx(answer, path);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"),
        Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12));
  }

  @Provide
  Arbitrary<String> targets() {
    return Arbitraries.of(
        "/",
        "/login",
        "/contacts",
        "/contacts/new",
        "/messages",
        "/settings/users",
        "/settings/company",
        "/operator",
        "/sms/counter",
        "/api/v1/contacts",
        "/api/v1/messages",
        "/api/v1/sms/preview",
        "/api/v1/company",
        "/error",
        "/actuator/health",
        "/v3/api-docs");
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.of(
                "%00",
                "%2F",
                "%2f",
                "%2e%2e",
                "..",
                ".",
                ";",
                ";x=1",
                "//",
                "%FF",
                "%C0%AF",
                "%",
                "%zz",
                "\\",
                "%5C",
                "~",
                "*",
                "%0A",
                "%0D%0A",
                "%20",
                "+",
                "?",
                "??",
                "#",
                "&",
                "%E2%80%AE",
                "é",
                "01964b8e-0000-7000-8000-000000000000",
                "null",
                "-1",
                "9999999999999999999999",
                "a".repeat(5000)),
            Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20));
    return Combinators.combine(targets(), piece.list().ofMaxSize(4))
        .as((base, pieces) -> base + (base.endsWith("/") ? "" : "/") + String.join("", pieces));
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of(
        "Authorization: Bearer " + KEY,
        "Authorization: Bearer nonsense",
        "Authorization: Basic %%%",
        "Cookie: " + session,
        "Cookie: SESSION=%00",
        "X-Nothing: 1");
  }

  @Provide
  Arbitrary<String> cookies() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
            Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMaxLength(20),
            Arbitraries.of(
                "%00", "%20", "..%2F..", "e%3Bn", "fr%0Ax", "\"da\"", "da;", "fr-FR", "da_DK"));
    return Combinators.combine(Arbitraries.of("herald-lang", "SESSION", "XSRF-TOKEN", "x"), value)
        .as((name, v) -> name + "=" + v.replace("\r", "").replace("\n", ""));
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
            Arbitraries.of(
                "Idempotency-Key",
                "Accept",
                "Accept-Language",
                "Content-Type",
                "HX-Request",
                "X-Forwarded-For",
                "Range",
                "If-None-Match",
                "Origin",
                "Expect",
                "Upgrade"),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(60),
            Arbitraries.of(
                "///",
                "*/*;q=x",
                "en;q=abc",
                "fr-FR,da;q=0.5",
                "bytes=9-1",
                "100-continue",
                "h2c",
                "true"),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(9000).ofMaxLength(20000));
    return Combinators.combine(name, value)
        .as((n, v) -> n.replace(":", "") + ": " + v.replace("\r", "").replace("\n", ""));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json",
        "application/json; charset=utf-16",
        "application/json; charset=nonsense",
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "text/plain",
        "///",
        "application/xml");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Arbitraries.of(
            bytes("{\"contactId\":\"x\",\"text\":\"\\u0000\"}"),
            bytes("{"),
            bytes("[]"),
            bytes("a=%FF&b=%00&_csrf=x"),
            bytes("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"),
            bytes("--x\r\nbroken"),
            bytes("text=" + "%E2%82%AC".repeat(50_000)),
            bytes("{\"text\":\"" + "x".repeat(2_100_000) + "\"}")));
  }

  // --- helpers ------------------------------------------------------------------------------

  static Answer send(String method, String path, byte[] body, String... headers) {
    String[] all = new String[headers.length + 1];
    System.arraycopy(headers, 0, all, 0, headers.length);
    all[headers.length] = path.startsWith("/api/") ? "Authorization: Bearer " + KEY : "X-Test: 1";
    return RawHttp.send(port, RawHttp.request(method, path, body, all));
  }

  static String causes(ch.qos.logback.classic.spi.IThrowableProxy proxy) {
    StringBuilder messages = new StringBuilder();
    for (var p = proxy; p != null; p = p.getCause()) {
      messages.append(p.getClassName()).append(": ").append(p.getMessage()).append('\n');
    }
    return messages.toString();
  }

  /** Control characters as {@code \\uXXXX}, so that a failure shows what was sent. */
  static String visible(String s) {
    StringBuilder out = new StringBuilder();
    s.chars()
        .forEach(
            c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : (char) c));
    return out.toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void assertNo5xx(Answer answer, String path) {
    assertThat(answer.status()).as(path + "\n" + answer.head()).isLessThan(500);
    if (path.startsWith("/api/") && answer.status() >= 400) {
      assertThat(answer.contentType())
          .as(path + "\n" + answer.head())
          .startsWith("application/problem+json");
    }
  }

  /** A problem of {@code status} (any 4xx when null) with {@code title} when given. */
  static void assertApiProblem(Answer answer, Integer status, String title) {
    if (status == null) {
      assertThat(answer.status()).as(answer.head()).isBetween(400, 499);
    } else {
      assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
    }
    assertThat(answer.contentType()).as(answer.head()).startsWith("application/problem+json");
    JsonNode problem = json.readTree(answer.body());
    assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
    assertThat(problem.path("detail").asString()).isNotBlank();
    if (title != null) {
      assertThat(problem.path("title").asString()).isEqualTo(title);
    }
  }
}
