package dev.herald.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP client: keeps cookies, reads CSRF tokens from forms, follows no redirects.
 */
public final class WebSession {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final HttpClient http;

  public WebSession() {
    this(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
  }

  private WebSession(CookieManager cookies) {
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return get(url, "text/html");
  }

  public HttpResponse<String> get(String url, String accept)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postForm(String url, Map<String, String> fields)
      throws IOException, InterruptedException {
    String body =
        fields.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts a form the way a browser does: with the CSRF token of the page it came from. */
  public HttpResponse<String> submit(String pageUrl, String actionUrl, Map<String, String> fields)
      throws IOException, InterruptedException {
    Map<String, String> withToken = new LinkedHashMap<>(fields);
    withToken.put("_csrf", csrfToken(get(pageUrl).body()));
    return postForm(actionUrl, withToken);
  }

  /** As {@link #submit}, for a form whose fields repeat (check boxes of one name). */
  public HttpResponse<String> submitAll(
      String pageUrl, String actionUrl, java.util.List<Map.Entry<String, String>> fields)
      throws IOException, InterruptedException {
    java.util.List<Map.Entry<String, String>> all = new java.util.ArrayList<>(fields);
    all.add(Map.entry("_csrf", csrfToken(get(pageUrl).body())));
    String body =
        all.stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(actionUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> logIn(String baseUrl, String email, String password)
      throws IOException, InterruptedException {
    return submit(
        baseUrl + "/login", baseUrl + "/login", Map.of("username", email, "password", password));
  }

  public static String csrfToken(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no CSRF token in page:\n" + html);
    }
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
