package dev.herald.web;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.AbstractMessageSource;

/**
 * The UI's texts from {@code messages*.properties}, formatted with ICU's MessageFormat so that
 * counts use each language's plural rules ({@code {0,plural,one{# contact} other{# contacts}}}).
 * Java's MessageFormat has only {@code choice}, which cannot say that French "0 contact" is
 * singular.
 *
 * <p>As with Spring's default, a text used without arguments is returned as written, and a missing
 * translation falls back to the English bundle, never to the server's locale.
 */
public class IcuMessageSource extends AbstractMessageSource {

  private static final ResourceBundle.Control NO_SYSTEM_LOCALE =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private final String basename;
  private final ConcurrentMap<String, MessageFormat> formats = new ConcurrentHashMap<>();

  public IcuMessageSource(String basename) {
    this.basename = basename;
    setUseCodeAsDefaultMessage(false);
  }

  @Override
  protected String resolveCodeWithoutArguments(String code, Locale locale) {
    return text(code, locale);
  }

  @Override
  protected java.text.MessageFormat resolveCode(String code, Locale locale) {
    // Not used: getMessageInternal is overridden below so that ICU, not java.text, formats.
    String text = text(code, locale);
    return text == null ? null : new java.text.MessageFormat(text, locale);
  }

  @Override
  protected String getMessageInternal(String code, Object[] args, Locale locale) {
    if (code == null) {
      return null;
    }
    Locale target = locale == null ? Locale.ENGLISH : locale;
    if (args == null || args.length == 0) {
      return text(code, target);
    }
    String text = text(code, target);
    if (text == null) {
      return null;
    }
    Object[] resolved = resolveArguments(args, target);
    MessageFormat format =
        formats.computeIfAbsent(
            target.toLanguageTag() + "\u0000" + code,
            key -> new MessageFormat(text, ULocale.forLocale(target)));
    synchronized (format) {
      return format.format(resolved);
    }
  }

  /** Same as Spring's, and it lets a {@link MessageSourceResolvable} argument be resolved. */
  @Override
  protected Object[] resolveArguments(Object[] args, Locale locale) {
    if (args == null) {
      return new Object[0];
    }
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i] instanceof MessageSourceResolvable r ? getMessage(r, locale) : args[i];
    }
    return out;
  }

  private String text(String code, Locale locale) {
    ResourceBundle bundle = bundle(locale);
    try {
      return bundle == null ? null : bundle.getString(code);
    } catch (MissingResourceException e) {
      return null;
    }
  }

  private ResourceBundle bundle(Locale locale) {
    try {
      return ResourceBundle.getBundle(basename, locale, getBundleClassLoader(), NO_SYSTEM_LOCALE);
    } catch (MissingResourceException e) {
      throw new NoSuchMessageException(basename, locale);
    }
  }

  private ClassLoader getBundleClassLoader() {
    return IcuMessageSource.class.getClassLoader();
  }
}
