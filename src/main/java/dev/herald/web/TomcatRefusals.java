package dev.herald.web;

import dev.herald.shared.Language;
import jakarta.servlet.http.Cookie;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Requests that Tomcat refuses before Herald sees them (a control character in a header, {@code
 * %00} or {@code %2F} in the path, a URL longer than the header buffer, an HTTP version or transfer
 * coding it does not speak): problem details under {@code /api/}, a short page elsewhere, both in
 * the request's language, instead of Tomcat's English HTML report; and 4xx, not 501/505, since the
 * client sent something Herald does not take.
 */
@Component
class TomcatRefusals implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final ObjectProvider<Problems> problems;
  private final MessageSource messages;

  TomcatRefusals(ObjectProvider<Problems> problems, MessageSource messages) {
    this.problems = problems;
    this.messages = messages;
  }

  @Override
  public int getOrder() {
    // After Spring Boot's own Tomcat customizer, whose error report valve this one replaces.
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(context -> {
      Container parent = context.getParent();
      if (parent instanceof StandardHost host) {
        for (Valve valve : host.getPipeline().getValves()) {
          if (valve instanceof ErrorReportValve) {
            host.getPipeline().removeValve(valve);
          }
        }
        host.setErrorReportValveClass(Report.class.getName());
        host.getPipeline().addValve(new Report(this));
      }
    });
  }

  /** The host's error report: runs only when nothing in Herald answered the request. */
  static final class Report extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(TomcatRefusals.class);

    private final TomcatRefusals owner;

    Report(TomcatRefusals owner) {
      this.owner = owner;
      setShowReport(false);
      setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      if (status == 501 || status == 505) {
        // An HTTP version or transfer coding Herald does not speak: the client's choice.
        status = 400;
        response.setStatus(status);
      }
      String uri = request.getRequestURI();
      if (status < 500) {
        // The client's mistake (Tomcat's exception quotes the request's bytes, secrets included).
        log.info("Refused before Herald: {} {}", status, RequestEdges.printable(uri));
      } else {
        log.error("Failed before Herald: {} {}", status, RequestEdges.printable(uri), throwable);
      }
      Locale locale = languageOf(request).locale();
      try {
        response.resetBuffer();
        // No path at all: the request line itself was refused (too long, not HTTP/1.x); a
        // browser never sends that, so the answer is for a program.
        if (uri == null || uri.isEmpty() || Problems.isApi(uri)) {
          Problems problems = owner.problems.getObject();
          ProblemDetail problem = problems.of(HttpStatus.valueOf(status), locale);
          problem.setInstance(Problems.instance(uri));
          response.setContentType("application/problem+json");
          response.setCharacterEncoding("UTF-8");
          write(response, problems.toJson(problem));
        } else {
          response.setContentType("text/html");
          response.setCharacterEncoding("UTF-8");
          write(response, page(status, locale));
        }
      } catch (RuntimeException | java.io.IOException e) {
        // The connection is going away; nothing more can be said to this client.
      }
    }

    private static void write(Response response, String body) throws java.io.IOException {
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    }

    private String page(int status, Locale locale) {
      MessageSource m = owner.messages;
      String title = m.getMessage("error.title", null, locale) + " " + status;
      String text =
          m.getMessage(
              "error.status." + status,
              null,
              m.getMessage("error.status.other", null, locale),
              locale);
      return "<!DOCTYPE html><html lang=\""
          + locale.getLanguage()
          + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
          + " content=\"width=device-width, initial-scale=1\"><title>"
          + HtmlUtils.htmlEscape(title)
          + " · Herald</title><link rel=\"stylesheet\" href=\"/css/herald.css\"></head><body>"
          + "<main class=\"narrow\"><h1>"
          + HtmlUtils.htmlEscape(title)
          + "</h1><p class=\"notice error\" role=\"alert\">"
          + HtmlUtils.htmlEscape(text)
          + "</p><p><a href=\"/\">"
          + HtmlUtils.htmlEscape(m.getMessage("error.back", null, locale))
          + "</a></p></main></body></html>";
    }

    /** The language cookie when it names a language Herald speaks, else Accept-Language. */
    private static Language languageOf(Request request) {
      try {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
          for (Cookie cookie : cookies) {
            if (UiLanguages.COOKIE.equals(cookie.getName())) {
              var chosen = Language.fromCode(cookie.getValue());
              if (chosen.isPresent()) {
                return chosen.get();
              }
            }
          }
        }
        return UiLanguages.of(request.getLocale());
      } catch (RuntimeException unreadableHeaders) {
        // A request Tomcat refused may not have readable headers at all.
      }
      return Language.EN;
    }
  }
}
