package dev.herald.delivery.kannel;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * smsbox's get-url carries the SMS text's octets in the charset it names ({@code %C}), UTF-16BE for
 * a UCS-2 SMS: not UTF-8, which every other request's parameters must be. For that one address the
 * parameters are read octet for octet (ISO-8859-1), and {@link KannelCallbacks} decodes the text
 * with its charset.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class KannelInboundQuery extends OncePerRequestFilter {

  private static final Pattern INBOUND = Pattern.compile("/carriers/kannel/[^/]+/inbound");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod())
        || !INBOUND.matcher(request.getRequestURI()).matches();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new OctetParameters(request), response);
  }

  /** The query's parameters, each %XX one char of that value. */
  static Map<String, String[]> octets(String query) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    Map<String, String[]> map = new LinkedHashMap<>();
    values.forEach((k, v) -> map.put(k, v.toArray(String[]::new)));
    return Collections.unmodifiableMap(map);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException broken) {
      return s; // a stray '%': kept as it came
    }
  }

  private static final class OctetParameters extends HttpServletRequestWrapper {

    private final Map<String, String[]> parameters;

    OctetParameters(HttpServletRequest request) {
      super(request);
      this.parameters = octets(request.getQueryString());
    }

    @Override
    public void setCharacterEncoding(String encoding) {
      // the parameters are octets; no charset applies to them here
    }

    @Override
    public String getParameter(String name) {
      String[] v = parameters.get(name);
      return v == null ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
      return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
      String[] v = parameters.get(name);
      return v == null ? null : v.clone();
    }
  }
}
